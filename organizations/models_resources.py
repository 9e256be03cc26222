"""Knowledge for municipal staff: short texts with links to public guides on the breadth of
volunteering and on including immigrant organisations. Site admins edit them in the admin; a
data migration writes the first ones.

Kept apart from models.py for readability; organizations.models imports it so Django registers it.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class StaffResource(models.Model):
    title = models.CharField(_("tittel"), max_length=200)
    title_nn = models.CharField(_("tittel (nynorsk)"), max_length=200, blank=True)
    title_en = models.CharField(_("tittel (engelsk)"), max_length=200, blank=True)
    text = models.TextField(_("tekst"), help_text=_("Med egne ord: hva ressursen er, og når den er nyttig."))
    text_nn = models.TextField(_("tekst (nynorsk)"), blank=True)
    text_en = models.TextField(_("tekst (engelsk)"), blank=True)
    publisher = models.CharField(_("utgiver"), max_length=200, blank=True)
    url = models.URLField(_("lenke"), blank=True, help_text=_("Vises som en vanlig lenke; ingenting hentes fra siden."))
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    published = models.BooleanField(_("vises for kommunens ansatte"), default=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    class Meta:
        verbose_name = _("kunnskapsressurs for ansatte")
        verbose_name_plural = _("kunnskapsressurser for ansatte")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    def _in(self, name: str) -> str:
        language = get_language() or ""
        for code in ("nn", "en"):
            if language.startswith(code) and getattr(self, f"{name}_{code}"):
                return getattr(self, f"{name}_{code}")
        return getattr(self, name)

    @property
    def localized_title(self) -> str:
        return self._in("title")

    @property
    def localized_text(self) -> str:
        return self._in("text")
