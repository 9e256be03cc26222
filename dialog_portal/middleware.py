"""Middleware that refuses requests no page could answer."""

from django.core.exceptions import BadRequest

NUL = "\x00"


class RefuseNulMiddleware:
    """Answers 400 to a NUL character in the path, the query string or a cookie.

    No page takes a NUL anywhere, and PostgreSQL refuses it in every text parameter, so a NUL
    that reached a lookup ended as a server error. Form fields refuse it in posted data
    themselves (Django's CharField does), so the body is left to the forms.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or _holds_nul(request.GET) or _holds_nul(request.COOKIES):
            raise BadRequest("NUL character in the path, query string or cookies")
        return self.get_response(request)


def _holds_nul(params) -> bool:
    if hasattr(params, "lists"):
        return any(NUL in key or any(NUL in value for value in values) for key, values in params.lists())
    return any(NUL in key or NUL in value for key, value in params.items())
