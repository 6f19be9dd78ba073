"""The versioned JSON API: /api/v1/. The root only collects: each app's routers, at the prefixes its AppConfig
declares (``api_routers``), under one authentication and one JSON error shape (``core/api.py``)."""

from __future__ import annotations

from typing import Any

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


# OpenAPI links (3.x "links") from the operation that makes a resource to those that read and change it,
# so clients and the stateful fuzzing in CI (.ci/schemathesis) can follow a created resource's id:
# (method, path of the maker, status) -> [(method, path of the follower, parameter, source), ...].
_PROJECT = "/api/v1/projects/{project_id}"
_ENTERPRISE = "/api/v1/enterprises/{enterprise_id}"
_ISSUE = "/api/v1/dispatch/issues/{issue_id}"
_DOCUMENT = "/api/v1/intake/documents/{document_id}"
RESOURCE_LINKS: dict[tuple[str, str, str], list[tuple[str, str, str, str]]] = {
    ("post", "/api/v1/projects", "201"): [
        ("get", _PROJECT, "project_id", "$response.body#/id"),
        ("patch", _PROJECT, "project_id", "$response.body#/id"),
        ("post", _PROJECT + "/advance", "project_id", "$response.body#/id"),
        ("get", _PROJECT + "/missing", "project_id", "$response.body#/id"),
        ("get", _PROJECT + "/history", "project_id", "$response.body#/id"),
        ("get", _PROJECT + "/stages", "project_id", "$response.body#/id"),
        ("get", _PROJECT + "/follow-ups", "project_id", "$response.body#/id"),
        ("post", _PROJECT + "/follow-ups", "project_id", "$response.body#/id"),
        ("delete", _PROJECT, "project_id", "$response.body#/id"),
    ],
    ("patch", _PROJECT, "200"): [
        ("get", _PROJECT, "project_id", "$request.path.project_id"),
        ("post", _PROJECT + "/advance", "project_id", "$request.path.project_id"),
    ],
    ("post", _PROJECT + "/advance", "200"): [
        ("get", _PROJECT + "/stages", "project_id", "$request.path.project_id"),
        ("get", _PROJECT + "/history", "project_id", "$request.path.project_id"),
    ],
    ("post", _PROJECT + "/follow-ups", "201"): [
        ("get", _PROJECT + "/follow-ups", "project_id", "$request.path.project_id"),
    ],
    ("post", "/api/v1/enterprises", "201"): [
        ("get", _ENTERPRISE, "enterprise_id", "$response.body#/id"),
        ("patch", _ENTERPRISE, "enterprise_id", "$response.body#/id"),
        ("delete", _ENTERPRISE, "enterprise_id", "$response.body#/id"),
    ],
    ("post", "/api/v1/dispatch/issues", "201"): [
        ("get", _ISSUE, "issue_id", "$response.body#/id"),
        ("post", _ISSUE + "/close", "issue_id", "$response.body#/id"),
    ],
    ("post", "/api/v1/intake/documents/text", "201"): [
        ("get", _DOCUMENT, "document_id", "$response.body#/id"),
    ],
}


def add_resource_links(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with RESOURCE_LINKS declared on the makers' responses (paths and fields unchanged)."""
    paths = schema.get("paths", {})
    for (method, path, status), followers in RESOURCE_LINKS.items():
        responses = paths.get(path, {}).get(method, {}).get("responses", {})
        response = responses.get(int(status), responses.get(status))  # ninja keys them by int
        if response is None:
            continue
        links = response.setdefault("links", {})
        for f_method, f_path, parameter, source in followers:
            operation = paths.get(f_path, {}).get(f_method)
            if operation is None:
                continue
            links[operation["operationId"]] = {
                "operationId": operation["operationId"],
                "parameters": {parameter: source},
            }
    return schema


class ZonedeskAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        module = operation.view_func.__module__
        module = PUBLISHED_OPERATION_MODULES.get(module, module)
        return (module + "_" + operation.view_func.__name__).replace(".", "_")

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return add_resource_links(schema)


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
