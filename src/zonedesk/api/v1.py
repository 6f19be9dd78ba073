"""The versioned JSON API: /api/v1/. The root only collects: each app's routers, at the prefixes its AppConfig
declares (``api_routers``), under one authentication and one JSON error shape (``core/api.py``)."""

from __future__ import annotations

from ninja import NinjaAPI

from zonedesk.core.api import install_error_handlers
from zonedesk.core.contributions import api_routers

from .auth import AUTH

# Operations published before each app carried its own API module keep their operation ids, so clients
# generated from /api/v1/openapi.json keep working: module -> the module the ids were derived from.
PUBLISHED_OPERATION_MODULES = {
    "zonedesk.access.api": "zonedesk.api.v1",
    "zonedesk.geo.api": "zonedesk.api.v1",
    "zonedesk.enterprises.api": "zonedesk.api.v1",
    "zonedesk.projects.api": "zonedesk.api.v1",
}


class ZonedeskAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        module = operation.view_func.__module__
        module = PUBLISHED_OPERATION_MODULES.get(module, module)
        return (module + "_" + operation.view_func.__name__).replace(".", "_")


api = ZonedeskAPI(
    title="zonedesk API",
    version="1.0.0",
    description="开发区招商项目台账 API。金额单位万元（字符串形式的精确小数），面积单位亩/平方米。",
    auth=AUTH,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)

for _prefix, _router in api_routers():
    api.add_router(_prefix, _router)
