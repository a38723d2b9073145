"""The public JSON API, version 1 (../shared/API.md is the contract)."""

from ninja import NinjaAPI

from motcua.catalog.api import router as procedures_router
from motcua.core.api_errors import install_error_handlers
from motcua.dossiers.api import lookup_router
from motcua.dossiers.api import router as dossiers_router
from motcua.hotline.api import router as hotline_router
from motcua.org.api import router as desks_router

api = NinjaAPI(
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
api.add_router("/lookup", lookup_router)
api.add_router("/hotline", hotline_router)
