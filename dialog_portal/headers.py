"""Response headers the portal sets on every page: Permissions-Policy and, for signed-in users,
Cache-Control. The Content-Security-Policy comes from django-csp (CONTENT_SECURITY_POLICY)."""

from django.conf import settings
from django.utils.cache import patch_cache_control


class PermissionsPolicyMiddleware:
    """Switch off the browser features the portal never uses (settings.PERMISSIONS_POLICY), so
    nothing injected into a page could ask for the camera, the microphone or the position."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allow)})" for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PrivateCacheMiddleware:
    """Every response to a signed-in user is `Cache-Control: private, no-store`, unless the view
    set a Cache-Control of its own: personal pages, the personal-data download, CSV exports and
    letters not yet sent stay out of shared caches and off the disk of the browser. Pages for
    anonymous visitors are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
