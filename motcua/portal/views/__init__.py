"""The citizen portal's pages; ``home`` is routed at ``/`` by config/urls.py."""

from motcua.portal.views.apply import apply
from motcua.portal.views.home import home, search
from motcua.portal.views.home_visit import home_visit
from motcua.portal.views.mine import (
    document_file,
    dossier_page,
    my_dossiers,
    result_file,
    submitted,
    supplement,
)
from motcua.portal.views.postal import cancel_postal, postal
from motcua.portal.views.procedure import procedure_page
from motcua.portal.views.rating import rate
from motcua.portal.views.store import (
    document_store,
    store_consent,
    stored_delete,
    stored_download,
)

__all__ = [
    "apply",
    "cancel_postal",
    "document_file",
    "document_store",
    "dossier_page",
    "home",
    "home_visit",
    "my_dossiers",
    "postal",
    "procedure_page",
    "rate",
    "result_file",
    "search",
    "store_consent",
    "stored_delete",
    "stored_download",
    "submitted",
    "supplement",
]
