"""The portal's URLs and, for bench/pages.py only, the bare page it is compared with."""

from django.shortcuts import render
from django.urls import include, path

ITEMS = [f"Punkt {n}" for n in range(1, 26)]


def bare(request):
    """The same stack as every portal page (middleware, template engine, i18n), no database."""
    return render(request, "bench/bare.html", {"items": ITEMS})


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("dialog_portal.urls")),
]
