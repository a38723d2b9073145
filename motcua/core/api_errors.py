"""The public API's error envelope (API.md "Errors").

Every error leaves as ``{"error": {"code", "message", "details"}}`` with a Vietnamese
message; handlers are installed on the API object so no view formats errors itself.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError


class ApiError(Exception):
    """Raised by API views for a refusal the client can act on."""

    def __init__(
        self, status: int, code: str, message: str, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}


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
        return error_response(
            api, request, status=exc.status, code=exc.code, message=exc.message, details=exc.details
        )

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

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(HttpError, on_http_error)
