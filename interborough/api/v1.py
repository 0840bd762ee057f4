"""API v1: one NinjaAPI mounting each app's router, one error shape for every failure."""

from interborough.accounts.api import router as accounts_router
from interborough.api.auth import AUTH
from interborough.api.errors import error_body, install_error_handlers
from interborough.api.routing import InterboroughAPI
from interborough.catalogue.api_data import router as data_router
from interborough.core.api import router as core_router
from interborough.pipeline.api import router as pipeline_router
from interborough.pipeline.api_contracts import router as contracts_router
from interborough.sharing.api import router as sharing_router

__all__ = ["api", "error_body"]

api = InterboroughAPI(
    title="Interborough API",
    version="1.0.0",
    description=(
        "The API of Interborough, the shared platform of London's local authorities. "
        "Authenticate with `Authorization: Bearer <token>`; issue tokens from your account page "
        "or with `POST /tokens`. Read tokens can only read; writes need a write token. "
        'Errors always have the shape `{"error": {"code", "message", "fields"}}`.'
    ),
    auth=AUTH,
    urls_namespace="api-v1",
    docs_url="/docs",
)
install_error_handlers(api)

api.add_router("/", accounts_router)
api.add_router("/audit-events", core_router)
api.add_router("/", pipeline_router)
api.add_router("/", contracts_router)
api.add_router("/", data_router)
api.add_router("/", sharing_router)
