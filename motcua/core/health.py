"""``GET /healthz``: whether the web process is up, for the load balancer and the service
manager's probe (docs/deployment.md "Health check").

It answers from the process alone, reading neither the database nor the cache: a probe that
touched them would take every web process out of the pool at once when PostgreSQL or Redis
blinks, and would add load exactly when they are slow. It goes through the whole middleware
stack, so it is also the cheapest view the public lookup's bench compares against
(``bench/lookup.py``).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok\n", content_type="text/plain; charset=utf-8")
