"""The public API's error envelope (docs/rules/api.md "Errors").

Every error leaves as ``{"error": {"code", "message", "details"}}`` with a Vietnamese
message; handlers are installed on the API object so no view formats errors itself.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from pydantic import Field

from motcua.core.ratelimit import Limit

logger = logging.getLogger(__name__)


class ErrorBody(Schema):
    code: str = Field(description="Mã lỗi cho máy đọc, ví dụ invalid_transition.")
    message: str = Field(description="Thông báo bằng tiếng Việt cho người dùng.")
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorOut(Schema):
    """Every error answer of the API (docs/rules/api.md "Errors")."""

    error: ErrorBody


# What each error status means in this API, as the OpenAPI document states it.
ERROR_STATUSES: dict[int, str] = {
    400: "Dữ liệu không hợp lệ (tham số đường dẫn hoặc truy vấn).",
    401: "Thiếu hoặc sai mã truy cập (Bearer).",
    403: "Không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy, hoặc không thuộc phạm vi của bạn.",
    409: "Trạng thái hiện tại không cho phép thao tác, hoặc một thay đổi đồng thời đã thắng.",
    422: "Nội dung gửi lên không đúng lược đồ.",
    429: "Quá nhiều yêu cầu; xem Retry-After.",
}


class ApiError(Exception):
    """Raised by API views for a refusal the client can act on. ``retry_after`` (a rate
    limit) sets the Retry-After header of a 429."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
        *,
        retry_after: Limit | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}
        self.retry_after = retry_after.retry_after() if retry_after is not None else None


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return api.create_response(request, body, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    # Handlers take ``exc: Any``: django-ninja types the exception as "instance or class".
    def on_api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        response = error_response(
            api, request, status=exc.status, code=exc.code, message=exc.message, details=exc.details
        )
        if exc.retry_after:
            response["Retry-After"] = str(exc.retry_after)
        return response

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        # Malformed query or path parameters are bad input (400); a body that parses but
        # breaks the schema is a validation failure (422).
        in_body = any(err.get("loc", ("",))[0] == "body" for err in exc.errors)
        fields = [
            {"loc": [str(p) for p in err.get("loc", ())], "msg": str(err.get("msg", ""))}
            for err in exc.errors
        ]
        return error_response(
            api,
            request,
            status=422 if in_body else 400,
            code="validation_error" if in_body else "bad_request",
            message=_("Dữ liệu gửi lên không hợp lệ."),
            details={"fields": fields},
        )

    def on_404(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(
            api, request, status=404, code="not_found", message=_("Không tìm thấy.")
        )

    def on_auth(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(
            api,
            request,
            status=401,
            code="unauthorized",
            message=_("Cần đăng nhập hoặc mã truy cập hợp lệ."),
        )

    def on_throttled(request: HttpRequest, exc: Any) -> HttpResponse:
        response = error_response(
            api,
            request,
            status=429,
            code="rate_limited",
            message=_("Quá nhiều yêu cầu, vui lòng thử lại sau."),
        )
        if exc.wait:
            response["Retry-After"] = str(exc.wait)
        return response

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(
            api, request, status=exc.status_code, code="http_error", message=str(exc)
        )

    def on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        # Still an answer in the envelope integrators parse; the details stay in the log.
        logger.exception("API error on %s", request.path, exc_info=exc)
        return error_response(
            api,
            request,
            status=500,
            code="server_error",
            message=_("Hệ thống gặp sự cố, vui lòng thử lại sau."),
        )

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(Exception, on_unexpected)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(HttpError, on_http_error)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers to every operation of an OpenAPI document (integrators generate
    clients from it): 400, 404, 422 and 429 everywhere, 401 and 403 where a token is needed,
    409 on every POST; all in the ``ErrorOut`` envelope."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(
        "ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    )
    nested = components["ErrorOut"].pop("$defs", {})
    for name, definition in nested.items():
        components.setdefault(name, definition)
    ref = {"$ref": "#/components/schemas/ErrorOut"}
    for methods in schema.get("paths", {}).values():
        for method, operation in methods.items():
            statuses = {400, 404, 422, 429}
            if operation.get("security"):
                statuses |= {401, 403}
            if method == "post":
                statuses.add(409)
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses):
                responses.setdefault(
                    str(status),
                    {
                        "description": ERROR_STATUSES[status],
                        "content": {"application/json": {"schema": ref}},
                    },
                )
    return schema
