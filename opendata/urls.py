from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import bulk
from .api import api
from .docs import api_docs
from .sitemaps import SITEMAPS
from .views import robots_txt

urlpatterns = [
    path("api/v1/docs", api_docs, name="api_docs"),
    *(
        path(f"api/v1/downloads/{name}.{fmt}", view, {"fmt": fmt}, name=f"download_{name}_{fmt}")
        for name, view in (("associations", bulk.associations_download), ("meetings", bulk.meetings_download))
        for fmt in bulk.FORMATS
    ),
    path("api/v1/", api.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
]
