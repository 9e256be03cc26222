"""sitemap.xml: the public pages search engines may list (django.contrib.sitemaps)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from correspondence.selectors import published_letters
from meetings.models import Meeting
from organizations.models import Association


class PortalSitemap(Sitemap):
    """Addresses on the portal's own host (SITE_URL), not on the Sites framework's example.com."""

    limit = 5000

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PagesSitemap(PortalSitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "organizations:directory", "meetings:calendar", "api_docs"]

    def location(self, item):
        return reverse(item)


class AssociationSitemap(PortalSitemap):
    changefreq = "weekly"

    def items(self):
        return Association.objects.filter(status=Association.Status.VERIFIED).only("slug", "updated_at").order_by("pk")

    def lastmod(self, association):
        return association.updated_at


class MeetingSitemap(PortalSitemap):
    changefreq = "daily"

    def items(self):
        return Meeting.objects.public().only("pk", "updated_at").order_by("pk")

    def lastmod(self, meeting):
        return meeting.updated_at


class LetterSitemap(PortalSitemap):
    changefreq = "weekly"

    def items(self):
        return published_letters().select_related(None).only("pk", "updated_at").order_by("pk")

    def location(self, letter):
        return reverse("correspondence:letter_detail", args=[letter.pk])

    def lastmod(self, letter):
        return letter.updated_at


SITEMAPS = {
    "sider": PagesSitemap,
    "foreninger": AssociationSitemap,
    "moter": MeetingSitemap,
    "brev": LetterSitemap,
}
