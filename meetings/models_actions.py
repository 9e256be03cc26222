"""Agreed actions ("konkrete tiltak"): what a meeting's summary says someone will do, and by when.

Kept apart from models.py for readability; meetings.models imports it so Django registers it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Association

# The first reminder goes this many days before the due date; the second the day after it passed.
DUE_SOON_DAYS = 7


class AgreedActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=AgreedAction.OPEN_STATUSES)

    def public(self):
        """Actions of meetings whose summary is published: the summary is where they were agreed."""
        return self.filter(meeting__summary_published_at__isnull=False)

    def overdue(self, *, today: datetime.date | None = None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class AgreedAction(models.Model):
    class Status(models.TextChoices):
        AGREED = "agreed", _("Avtalt")
        IN_PROGRESS = "in_progress", _("Under arbeid")
        DONE = "done", _("Gjennomført")
        DROPPED = "dropped", _("Lagt bort")

    OPEN_STATUSES = (Status.AGREED, Status.IN_PROGRESS)

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="actions", verbose_name=_("møte")
    )
    title = models.CharField(_("tiltak"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    owner_unit = models.CharField(
        _("kommunal enhet"),
        max_length=200,
        blank=True,
        help_text=_("For eksempel «Kulturetaten». La feltet stå tomt når et lag eller en forening er ansvarlig."),
    )
    owner_email = models.EmailField(
        _("e-post til enheten"),
        blank=True,
        help_text=_("Får påminnelsene sammen med kommunens ansatte i portalen."),
    )
    owner_association = models.ForeignKey(
        Association,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreed_actions",
        verbose_name=_("ansvarlig lag eller forening"),
    )
    due_on = models.DateField(_("frist"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.AGREED)
    status_comment = models.TextField(_("kommentar til statusen"), blank=True)
    status_changed_at = models.DateTimeField(_("status endret"), null=True, blank=True)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    objects = AgreedActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("tiltak")
        verbose_name_plural = _("tiltak")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_association__isnull=False) & Q(owner_unit=""))
                | (Q(owner_association__isnull=True) & ~Q(owner_unit="")),
                name="agreed_action_has_one_owner",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:municipality_actions", args=[self.meeting.municipality.number]) + f"#tiltak-{self.pk}"

    @property
    def owner_name(self) -> str:
        return self.owner_association.name if self.owner_association_id else self.owner_unit

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    def clean(self):
        super().clean()
        errors: dict[str, list] = {}
        self.owner_unit = self.owner_unit.strip()
        if self.owner_association_id and self.owner_unit:
            errors.setdefault("owner_unit", []).append(
                _("Velg én ansvarlig: enten en kommunal enhet eller et lag, ikke begge.")
            )
        elif not self.owner_association_id and not self.owner_unit:
            errors.setdefault("owner_unit", []).append(
                _("Skriv hvilken kommunal enhet som er ansvarlig, eller velg et lag eller en forening.")
            )
        if self.owner_email and self.owner_association_id:
            errors.setdefault("owner_email", []).append(
                _(
                    "E-post til enheten brukes bare når en kommunal enhet er ansvarlig; lagets administratorer får påminnelsene."
                )
            )
        if self.meeting_id and self.owner_association_id:
            association = self.owner_association
            if (
                association.municipality_id != self.meeting.municipality_id
                or association.status != Association.Status.VERIFIED
            ):
                errors.setdefault("owner_association", []).append(
                    _("Ansvarlig lag må være et godkjent lag i kommunen som holdt møtet.")
                )
        if self.meeting_id and self.due_on and self.due_on < timezone.localtime(self.meeting.starts_at).date():
            errors.setdefault("due_on", []).append(_("Fristen kan ikke være før møtet der tiltaket ble avtalt."))
        if self.status == self.Status.DROPPED and not self.status_comment.strip():
            errors.setdefault("status_comment", []).append(_("Skriv hvorfor tiltaket er lagt bort."))
        if errors:
            raise ValidationError(errors)
