"""How ``zonedesk serve`` runs behind a reverse proxy: the trusted-proxy settings, as waitress's options.

The one reader of ``ZONEDESK_TRUSTED_PROXIES`` / ``ZONEDESK_TRUSTED_PROXY_COUNT`` (config.settings.base).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# What waitress takes from the trusted proxy: the original scheme (TLS ended at the proxy) and the
# client's address (for the logs, the audit trail and the per-address login throttle).
TRUSTED_PROXY_HEADERS = "x-forwarded-proto x-forwarded-for"


def trusted_proxy() -> str:
    """The configured proxy address ("" when none); waitress trusts exactly one address, or "*"."""
    value = str(getattr(settings, "ZONEDESK_TRUSTED_PROXIES", "") or "").strip()
    if "," in value or " " in value:
        raise ImproperlyConfigured(
            f"ZONEDESK_TRUSTED_PROXIES 只能填写一个代理地址（waitress 只信任一个地址），而不是“{value}”"
        )
    return value


def waitress_options() -> dict[str, Any]:
    """Keyword arguments for ``waitress.serve``: the proxy options when a trusted proxy is configured, else none."""
    proxy = trusted_proxy()
    if not proxy:
        return {}
    count = int(getattr(settings, "ZONEDESK_TRUSTED_PROXY_COUNT", 1))
    if count < 1:
        raise ImproperlyConfigured(f"ZONEDESK_TRUSTED_PROXY_COUNT 至少为 1，而不是 {count}")
    return {
        "trusted_proxy": proxy,
        "trusted_proxy_count": count,
        "trusted_proxy_headers": TRUSTED_PROXY_HEADERS,
        "clear_untrusted_proxy_headers": True,
    }
