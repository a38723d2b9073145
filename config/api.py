"""The public JSON API, version 1; its contract is docs/rules/api.md."""

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from motcua.appointments.api import router as appointments_router
from motcua.catalog.api import router as procedures_router
from motcua.core.api_errors import document_errors, install_error_handlers
from motcua.dossiers.api import lookup_router
from motcua.dossiers.api import router as dossiers_router
from motcua.dossiers.results_api import results_router, verify_router
from motcua.hotline.api import router as hotline_router
from motcua.org.api import router as desks_router
from motcua.postal.api import router as postal_router
from motcua.postal.webhook import router as carrier_router
from motcua.reform.api import router as reform_router
from motcua.reports.indicators.api import router as indicators_router


class MotcuaAPI(NinjaAPI):
    """The API with its error answers documented on every operation."""

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        document_errors(schema)
        return schema


api = MotcuaAPI(
    title="motcua API",
    version="1",
    description="API công khai của hệ thống một cửa điện tử motcua.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/procedures", procedures_router)
api.add_router("/desks", desks_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/dossiers", postal_router)
api.add_router("/dossiers", results_router)
api.add_router("/postal", carrier_router)
api.add_router("/lookup", lookup_router)
api.add_router("/verify", verify_router)
api.add_router("/hotline", hotline_router)
api.add_router("/appointments", appointments_router)
api.add_router("/indicators", indicators_router)
api.add_router("/reform", reform_router)
