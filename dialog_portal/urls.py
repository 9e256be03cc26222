from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from accounts.views import set_language
from dialog_portal.pagecache import public_page

urlpatterns = [
    path("", public_page()(TemplateView.as_view(template_name="home.html")), name="home"),
    path("konto/", include("allauth.urls")),
    path("min-side/varsler/", include("notifications.urls")),
    path("min-side/", include("accounts.urls")),
    path("", include("organizations.urls")),
    path("moter/", include("meetings.urls")),
    path("henvendelser/", include("correspondence.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("opendata.urls")),
]

# Under /api/ a request refused before its view is answered as problem details too (opendata.views).
handler400 = "opendata.views.bad_request"
