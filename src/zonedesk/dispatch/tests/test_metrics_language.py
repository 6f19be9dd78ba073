from decimal import Decimal

import pytest

from zonedesk.dispatch.metrics.language import (
    Aggregate,
    BinOp,
    Neg,
    Num,
    ParseError,
    Predicate,
    Ref,
    evaluate_formula,
    parse_aggregate,
    parse_condition,
    parse_formula,
)


def test_conditions_parse_into_predicates():
    assert parse_condition("first_signed_date in ytd") == (Predicate("first_signed_date", "in", "ytd"),)
    assert parse_condition("status != 'terminated'") == (Predicate("status", "!=", "terminated"),)
    assert parse_condition("stage not in ('signed', 'landed') or start_date is not null") == (
        Predicate("stage", "not in", ("signed", "landed")),
        Predicate("start_date", "is not", None),
    )
    assert parse_condition("plan_year_wan > -5.5") == (Predicate("plan_year_wan", ">", Decimal("-5.5")),)
    assert parse_condition("project__chain_node = '新材料'") == (
        Predicate("project__chain_node", "=", "新材料"),
    )
    assert parse_condition("overdue_start(as_of)") == (Predicate("overdue_start", "rule", "as_of"),)


@pytest.mark.parametrize(
    "text, message",
    [
        ("start_date", "条件写法无效：start_date（应为“字段 运算符 值”）"),
        ("start_date is 3", "“is”后只能是 null：start_date is 3"),
        ("stage in 'signed'", "“in”后应为 period、ytd 或 (a, b) 列表：stage in 'signed'"),
        (
            "overdue_start(as_of) or x = 1",
            "规则须单独写成一个条件，不能用 or 与其他条件连接：overdue_start(as_of) or x = 1",
        ),
        (
            "x = 1 or overdue_start(as_of)",
            "规则须单独写成一个条件，不能用 or 与其他条件连接：x = 1 or overdue_start(as_of)",
        ),
        ("x = tomorrow", "无法识别的取值：tomorrow（x = tomorrow）"),
        ("x = 1 y", "条件写法无效：x = 1 y（应为“字段 运算符 值”）"),
        ("x ≈ 1", "无法识别的字符：≈ 1"),
    ],
)
def test_bad_conditions_are_refused_in_chinese(text, message):
    with pytest.raises(ParseError) as exc:
        parse_condition(text)
    assert str(exc.value) == message


def test_aggregates():
    assert parse_aggregate("count") == Aggregate("count", ())
    assert parse_aggregate("sum(funds_wan)") == Aggregate("sum", ("funds_wan",))
    assert parse_aggregate("median_days(first_signed_date, start_date)") == Aggregate(
        "median_days", ("first_signed_date", "start_date")
    )
    for bad in ("avg(x)", "sum(x", "count x", "median_days(x)"):
        with pytest.raises(ParseError):
            parse_aggregate(bad)


def test_formulas_parse_with_precedence_and_evaluate_like_arithmetic():
    tree = parse_formula("-(a + b) / c * 100")
    assert tree == BinOp("*", BinOp("/", Neg(BinOp("+", Ref("a"), Ref("b"))), Ref("c")), Num(Decimal(100)))
    assert evaluate_formula(tree, {"a": Decimal(1), "b": Decimal(2), "c": Decimal(4)}) == Decimal(-75)
    assert evaluate_formula(tree, {"a": Decimal(1), "b": Decimal(2), "c": Decimal(0)}) is None
    assert evaluate_formula(tree, {"a": None, "b": Decimal(2), "c": Decimal(4)}) is None


@pytest.mark.parametrize(
    "text, message",
    [
        ("__import__('os')", "公式只能使用 + − × ÷、括号、数字和指标/度量名称"),
        ("a < b", "公式只能使用 + − × ÷、括号、数字和指标/度量名称"),
        ("a ** b", "公式无法解析：a ** b"),
        ("(a + b", "公式无法解析：(a + b"),
        ("a $ b", "公式无法解析：a $ b"),
    ],
)
def test_bad_formulas_are_refused_in_chinese(text, message):
    with pytest.raises(ParseError) as exc:
        parse_formula(text)
    assert str(exc.value) == message
