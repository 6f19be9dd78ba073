"""The ledger files against the project's field declarations, checked at start-up.

``projects/fields.py`` says which project fields a ledger may set and as what kind of column;
``columns.toml`` says how their headers are written and ``templates.toml`` which of them each export
carries. Drift between them is how a gate field once became impossible to import: every problem here
is a Django system error (``manage.py check``, ``zonedesk serve``, the test run), naming the field.
"""

from __future__ import annotations

from django.core import checks

# The export template a zone's ledger round-trips through; it must carry every gate field.
LEDGER_TEMPLATE = "招商项目台账"
# Import fields that are not Project fields (config.NON_PROJECT_FIELDS) and export-only columns.
NOT_DECLARED = frozenset({"investor_uscc", "hesitations", "seq"})


def gate_fields() -> set[str]:
    """Every project field a stage gate reads (requires, requires_any, when, the stage's date)."""
    from zonedesk.projects.rules import get_rules

    names: set[str] = set()
    for rule in get_rules().stages.values():
        names.update(rule.requires)
        for fields, _label in rule.requires_any:
            names.update(fields)
        for cond_field, _equals, extra in rule.when:
            names.add(cond_field)
            names.update(extra)
        if rule.date_field:
            names.add(rule.date_field)
    return names


def declaration_problems() -> list[str]:
    """Each disagreement between the declarations, the gates, columns.toml and templates.toml."""
    from zonedesk.projects import fields as declared

    from .config import get_config
    from .export import load_templates

    problems = list(declared.declaration_problems())
    config = get_config()
    imported = declared.imported_fields()
    for name, kind in imported.items():
        spec = config.fields.get(name)
        if spec is None:
            problems.append(f"字段 {name} 声明为可导入，但 columns.toml 中没有 [fields.{name}]")
        elif spec.kind != kind:
            problems.append(f"字段 {name} 声明的导入类型为 {kind}，columns.toml 中为 {spec.kind}")
    for name in config.fields:
        if name not in imported and name not in NOT_DECLARED:
            problems.append(f"columns.toml 的 [fields.{name}] 在 projects/fields.py 中未声明为可导入")
    templates = load_templates()
    ledger = templates.get(LEDGER_TEMPLATE)
    exported = {c.field for c in ledger.columns} if ledger else set()
    if ledger is None:
        problems.append(f"templates.toml 中缺少导出模板“{LEDGER_TEMPLATE}”")
    for name in sorted(gate_fields() - {"zone"}):  # an import is always into one zone
        if name not in imported or name not in config.fields:
            problems.append(f"阶段规则要求字段 {name}，但它不能导入")
        if ledger is not None and name not in exported:
            problems.append(f"阶段规则要求字段 {name}，但导出模板“{LEDGER_TEMPLATE}”没有这一列")
    for template in templates.values():
        for column in template.columns:
            if column.field not in declared.BY_NAME and column.field not in NOT_DECLARED:
                problems.append(f"导出模板“{template.name}”的列 {column.field} 不是已声明的项目字段")
    return problems


@checks.register()
def check_field_declarations(app_configs=None, **kwargs):
    return [checks.Error(p, id="zonedesk.E001") for p in declaration_problems()]
