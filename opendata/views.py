from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

# Pages for signed-in people, staff and forms: nothing a search engine can show anyone.
DISALLOWED = ("/konto/", "/min-side/", "/admin/", "/i18n/", "/kommune/ansatt/", "/moter/ansatt/")


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "Allow: /"]
    lines.append(f"Sitemap: {settings.SITE_URL.rstrip('/')}{reverse('sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
