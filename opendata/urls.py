from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import bulk
from .api import api
from .docs import api_docs
from .sitemaps import SITEMAPS
from .views import api_token_create_view, api_token_revoke_view, robots_txt

urlpatterns = [
    path("api/v1/docs", api_docs, name="api_docs"),
    *(
        path(f"api/v1/downloads/{name}.{fmt}", view, {"fmt": fmt}, name=f"download_{name}_{fmt}")
        for name, view in (("associations", bulk.associations_download), ("meetings", bulk.meetings_download))
        for fmt in bulk.FORMATS
    ),
    path("api/v1/", api.urls),
    path("konto/api-nokler/ny/", api_token_create_view, name="api_token_create"),
    path("konto/api-nokler/<int:pk>/trekk-tilbake/", api_token_revoke_view, name="api_token_revoke"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
]
