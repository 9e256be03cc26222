"""What every response under /api/ gets, whatever the view: a rate limit per client, CORS for
reading, ETag and 304, the licence, and errors as problem details."""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

from accounts.adapters import client_ip

from .licence import LICENCE_LINK
from .problems import CONTENT_TYPE, default_detail, problem

PREFIX = "/api/"
READ_METHODS = ("GET", "HEAD")
EXPOSED_HEADERS = "ETag, Last-Modified, Link, Retry-After"


def open_to_readers(response) -> None:
    """CORS for reading: any origin may read the answer and the headers a client needs."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS


class OpenDataMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        head = request.method == "HEAD"
        if head:
            # The API declares GET operations; HEAD is the same answer without its body.
            request.method = "GET"
        response = self._limited(request)
        if response is None:
            response = self._preflight() if request.method == "OPTIONS" else self.get_response(request)
        if response.status_code >= 400 and response.get("Content-Type", "").split(";")[0] != CONTENT_TYPE:
            allow = response.get("Allow")
            response = problem(response.status_code, default_detail(response.status_code))
            if allow:
                response["Allow"] = allow
        if request.method in READ_METHODS and response.status_code == 200:
            if not response.has_header("Cache-Control"):
                # Shared caches may keep a copy, and must ask (If-None-Match) before they use it.
                patch_cache_control(response, public=True, no_cache=True)
            if not response.streaming:
                set_response_etag(response)
                # Only the ETag decides: it is the digest of the body, so a 304 is never stale.
                # A Last-Modified date could miss a row deleted or unpublished since.
                response = get_conditional_response(request, etag=response["ETag"], response=response)
        if request.method in READ_METHODS or request.method == "OPTIONS":
            open_to_readers(response)
        response["Link"] = LICENCE_LINK
        if head and not response.streaming:
            response.content = b""
        return response

    def _limited(self, request):
        window = settings.OPENDATA_RATE_WINDOW
        now = time.time()
        key = f"opendata:rate:{client_ip(request) or 'unknown'}:{int(now // window)}"
        cache.add(key, 0, timeout=window + 1)
        try:
            count = cache.incr(key)
        except ValueError:
            # The count expired between add and incr: this request starts a new one.
            cache.set(key, 1, timeout=window + 1)
            count = 1
        if count <= settings.OPENDATA_RATE_LIMIT:
            return None
        response = problem(429, default_detail(429))
        response["Retry-After"] = str(max(1, math.ceil(window - now % window)))
        return response

    def _preflight(self):
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
        response["Access-Control-Max-Age"] = "86400"
        return response
