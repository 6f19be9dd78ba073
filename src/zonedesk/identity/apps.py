from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    """Authentication and sessions: password policy and history, the forced change, lockout (django-axes),
    idle and absolute session timeouts. The login and logout pages are served at /login/ and /logout/
    (web/urls.py routes them here); this app's own pages live under /account/."""

    name = "zonedesk.identity"
    label = "identity"
    verbose_name = _("身份与会话")
    url_prefix = "account/"
    cli_module = "zonedesk.identity.cli"
