"""What every app's API module shares: the JSON error shape and its handlers, paging, the 404 lookup and the
acting context for API requests. Apps import these from here; the API root (``zonedesk.api.v1``) only
collects the routers the apps declare and installs the handlers.

Every API error is JSON with a Chinese message and, where it applies, messages per field."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from pydantic import ConfigDict, Field

from zonedesk.core.audit import acting_as
from zonedesk.core.errors import DomainError, StageGateRefused
from zonedesk.core.inputs import (  # noqa: F401  (re-exported: the types every app's API module uses)
    MAX_INT64,
    CleanText,
    Count,
    FiniteDecimal,
    PageNumber,
    PositiveId,
    SaneDate,
    is_unstorable_input,
    limits,
    parse_id,
)


class Strict(Schema):
    """An input schema that refuses fields it does not declare."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str
    code: str
    fields: dict[str, list[str]] = {}
    missing: list[dict[str, str]] | None = None


# The error responses every operation may give, for the OpenAPI document.
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
}
MAX_PAGE_SIZE = 200


class PageParams(Schema):
    page: PageNumber = 1
    # Sizes outside 1–200 are brought into it (as before); only beyond 64 bits is one refused.
    page_size: Annotated[int, Field(ge=-MAX_INT64, le=MAX_INT64)] = 50


def paginate(qs: QuerySet, params: PageParams) -> dict[str, Any]:
    page = max(params.page, 1)
    size = min(max(params.page_size, 1), MAX_PAGE_SIZE)
    start = (page - 1) * size
    count = qs.count()
    # A page past the end is empty without asking the database (an OFFSET beyond 64 bits overflows).
    results = list(qs[start : start + size]) if start < count else []
    return {"count": count, "page": page, "page_size": size, "results": results}


def acting(request: HttpRequest) -> AbstractContextManager[Any]:
    """The actor context for a write made through the API: the request's user, source "api"."""
    return acting_as(request.user, source="api")


def get_or_404(qs: QuerySet, pk: Any) -> Any:
    """The row with this pk in ``qs`` (a restricted queryset), or 404 (absent and out of reach alike)."""
    obj = qs.filter(pk=parse_id(pk)).first() if parse_id(pk) is not None else None
    if obj is None:
        raise Http404
    return obj


# Pydantic's error types, said in Chinese for the people who read them.
PYDANTIC_MESSAGES = {
    "missing": "必填",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "小数位数过多（最多 2 位）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "string_type": "应为文本",
    "string_too_long": "文本过长",
    "string_too_short": "不能为空",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "enum": "取值无效",
    "literal_error": "取值无效",
    "greater_than_equal": "不能为负数",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "请求体应为 JSON 对象",
    "dict_type": "请求体应为 JSON 对象",
    "extra_forbidden": "不允许的字段",
    "finite_number": "应为有限数字",
    "text_forbidden_character": "不能包含空字符（NUL）或不成对的代理字符",
    "string_unicode": "应为文本",
}


def _pydantic_message(err: dict[str, Any]) -> str:
    """One pydantic error in Chinese; a range names its bounds."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "greater_than_equal" and ctx.get("ge") not in (0, None):
        return f"不能小于 {ctx['ge']}"
    if kind in ("greater_than", "less_than", "less_than_equal"):
        bound = ctx.get("gt", ctx.get("lt", ctx.get("le")))
        return {"greater_than": "应大于 {}", "less_than": "应小于 {}", "less_than_equal": "不能大于 {}"}[
            kind
        ].format(bound)
    if kind == "date_out_of_range":
        return f"日期应在 {ctx.get('first')} 年至 {ctx.get('last')} 年之间"
    if kind == "string_too_long" and ctx.get("max_length") is not None:
        return f"文本过长（最多 {ctx['max_length']} 字）"
    return PYDANTIC_MESSAGES.get(kind, "取值无效")


def _field_name(loc: list) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path", "data", "form")]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        body: dict[str, Any] = {"detail": exc.message, "code": exc.code, "fields": exc.fields}
        if isinstance(exc, StageGateRefused):
            body["missing"] = exc.missing
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            name = _field_name(list(err.get("loc", [])))
            message = _pydantic_message(err)
            fields.setdefault(name, []).append(message)
        detail = "；".join(f"{k}：{'、'.join(v)}" for k, v in fields.items())
        return api.create_response(
            request, {"detail": f"请求数据有误：{detail}", "code": "invalid", "fields": fields}, status=422
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(
            request, {"detail": "未登录或令牌无效", "code": "unauthenticated", "fields": {}}, status=401
        )

    @api.exception_handler(AuthorizationError)
    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(
            request, {"detail": "没有权限", "code": "forbidden", "fields": {}}, status=403
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(
            request, {"detail": "未找到", "code": "not_found", "fields": {}}, status=404
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = str(exc)
        if exc.status_code == 400 and "parse" in detail.lower():
            detail = "请求体不是有效的 JSON"
        return api.create_response(
            request, {"detail": detail, "code": "bad_request", "fields": {}}, status=exc.status_code
        )

    @api.exception_handler(MultiPartParserError)
    def bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return api.create_response(
            request, {"detail": "表单数据格式无效", "code": "bad_request", "fields": {}}, status=400
        )

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Never a bare 500 page to an API client: log it, answer JSON.
        import logging

        if is_unstorable_input(exc):
            logging.getLogger("zonedesk.api").warning("input the database refused", exc_info=exc)
            return api.create_response(
                request,
                {"detail": "请求数据超出可存储的范围", "code": "invalid", "fields": {}},
                status=422,
            )
        logging.getLogger("zonedesk.api").exception("unhandled API error")
        return api.create_response(
            request, {"detail": "服务器内部错误，已记录", "code": "server_error", "fields": {}}, status=500
        )
