from django.apps import AppConfig


class LedgerioConfig(AppConfig):
    name = "zonedesk.ledgerio"
    label = "ledgerio"
    verbose_name = "台账导入导出"
    url_prefix = "ledger-io/"
    cli_module = "zonedesk.ledgerio.cli"
    nav = [("导入导出", "ledgerio:home", 40)]

    def ready(self) -> None:
        from . import checks  # noqa: F401 — registers the field-declaration check
