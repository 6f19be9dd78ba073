from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the default roles may do here: see and revoke the API tokens, and see and reset the second factor, of
# the people in their reach (revoking and resetting are "change"). The security administrator's role arrives
# with the 三员 roles; a grant for a role not installed is ignored (access.defaults.default_roles).
_SECURITY = {"apitoken": ["view", "change"], "secondfactor": ["view", "change"]}
FACTORS_ROLE_GRANTS: dict[str, dict[str, list[str]]] = {
    "province_admin": _SECURITY,
    "security_admin": _SECURITY,
}


class FactorsConfig(AppConfig):
    name = "zonedesk.factors"
    label = "factors"
    verbose_name = _("双因素认证与 API 令牌")
    url_prefix = "account/factors/"
    api_routers = {"/tokens": "zonedesk.factors.api:router"}
    cli_module = "zonedesk.factors.cli"
    nav = [(_("账号安全"), "factors:home", 90)]
    role_grants = FACTORS_ROLE_GRANTS
