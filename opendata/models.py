from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Municipality


class ApiToken(models.Model):
    """A staff member's personal key to the open-data API.

    Only the SHA-256 of the key is stored; the key itself is shown once, when it is made. The
    prefix (the key's first characters) lets the owner tell their keys apart. A key reaches the
    municipalities it was made for, and of those only the ones its owner is still staff of.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("bruker")
    )
    name = models.CharField(_("navn"), max_length=100)
    prefix = models.CharField(_("begynnelse"), max_length=12)
    key_hash = models.CharField(_("SHA-256 av nøkkelen"), max_length=64, unique=True)
    municipalities = models.ManyToManyField(Municipality, related_name="api_tokens", verbose_name=_("kommuner"))
    created_at = models.DateTimeField(_("laget"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("sist brukt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nøkkel")
        verbose_name_plural = _("API-nøkler")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
