"""Reads that pages, feeds and reports share. Each is a fixed number of queries, whatever the size."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.utils import timezone

from organizations.models import Association, Category

from .domain import OSLO, volunteer_day, volunteer_day_span
from .models import Attendance, Exhibitor, Meeting, Registration


def _with_related(queryset):
    return queryset.select_related("municipality", "district").prefetch_related("interpretation_languages")


def calendar_meetings(*, filters: dict | None = None, now: datetime.datetime | None = None):
    """Upcoming published meetings (and cancelled ones, marked as such), filtered."""
    now = now or timezone.now()
    filters = filters or {}
    meetings = (
        Meeting.objects.public()
        .filter(status__in=(Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED))
        .filter(ends_at__gte=now)
    )
    if filters.get("kind"):
        meetings = meetings.filter(kind__in=filters["kind"])
    if filters.get("municipality"):
        meetings = meetings.filter(municipality=filters["municipality"])
    for feature in filters.get("features") or ():
        if feature in Meeting.INCLUSIVE_FEATURES:
            meetings = meetings.filter(**{feature: True})
    if filters.get("language"):
        meetings = meetings.filter(interpretation_languages=filters["language"])
    if filters.get("date_from"):
        start = datetime.datetime.combine(filters["date_from"], datetime.time.min, tzinfo=OSLO)
        meetings = meetings.filter(ends_at__gte=start)
    if filters.get("date_to"):
        end = datetime.datetime.combine(filters["date_to"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=OSLO)
        meetings = meetings.filter(starts_at__lt=end)
    return _with_related(meetings).order_by("starts_at", "pk")


def volunteer_day_meetings(*, year: int):
    """Every public event on 5 December of the year, in every municipality."""
    start, end = volunteer_day_span(year)
    return _with_related(Meeting.objects.public().filter(starts_at__gte=start, starts_at__lt=end)).order_by(
        "municipality__name", "starts_at", "pk"
    )


def next_volunteer_day(now: datetime.datetime | None = None) -> int:
    today = (now or timezone.now()).astimezone(OSLO).date()
    return today.year if today <= volunteer_day(today.year) else today.year + 1


def meeting_for_page(*, pk: int) -> Meeting:
    return (
        _with_related(Meeting.objects.all())
        .prefetch_related(
            "agenda",
            Prefetch(
                "exhibitors",
                queryset=Exhibitor.objects.filter(status=Exhibitor.Status.APPROVED).select_related("association"),
                to_attr="approved_exhibitors",
            ),
        )
        .annotate(
            seats_taken=Sum("registrations__attendees", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
        )
        .get(pk=pk)
    )


def attending_associations(*, meeting: Meeting):
    """The public associations registered for the meeting (confirmed), by name."""
    return (
        Association.objects.filter(
            status=Association.Status.VERIFIED,
            meeting_registrations__meeting=meeting,
            meeting_registrations__status=Registration.Status.CONFIRMED,
        )
        .distinct()
        .order_by("name")
    )


def user_registration(*, meeting: Meeting, user) -> Registration | None:
    if not user.is_authenticated:
        return None
    return meeting.registrations.active().filter(user=user).select_related("association").first()


def meetings_for_staff(*, municipality):
    return (
        Meeting.objects.filter(municipality=municipality)
        .select_related("district")
        .annotate(
            registration_count=Count("registrations", filter=~Q(registrations__status=Registration.Status.CANCELLED)),
        )
        .order_by("-starts_at", "-pk")
    )


def registrations_for_staff(*, meeting: Meeting):
    return (
        meeting.registrations.select_related("user", "association", "interpretation_language")
        .annotate(attended=Exists(Attendance.objects.filter(registration=OuterRef("pk"))))
        .order_by("status", "created_at", "pk")
    )


@dataclass
class CategoryReach:
    category: Category
    registered: int = 0
    took_part: int = 0
    never_met: list = field(default_factory=list)

    @property
    def share(self) -> int:
        return round(100 * self.took_part / self.registered) if self.registered else 0


@dataclass
class Reach:
    categories: list[CategoryReach]
    associations: list
    took_part_ids: set
    ever_ids: set
    since: datetime.datetime


def _participation_ids(*, municipality, since=None) -> set:
    """Associations that took part in a meeting of the municipality: marked present, or, for a
    held meeting where nobody marked attendance, registered (confirmed). Once staff have marked
    attendance for a meeting, a registration they left unticked did not take part."""
    attendance = Attendance.objects.filter(meeting__municipality=municipality)
    registration = Registration.objects.filter(
        meeting__municipality=municipality,
        meeting__status=Meeting.Status.HELD,
        status=Registration.Status.CONFIRMED,
        association__isnull=False,
    ).exclude(Exists(Attendance.objects.filter(meeting_id=OuterRef("meeting_id"))))
    if since is not None:
        attendance = attendance.filter(meeting__starts_at__gte=since)
        registration = registration.filter(meeting__starts_at__gte=since)
    ids = set(attendance.exclude(association__isnull=True).values_list("association_id", flat=True))
    ids |= set(registration.values_list("association_id", flat=True))
    return ids


def reach_report(*, municipality, now: datetime.datetime | None = None) -> Reach:
    """Per category: the associations registered in the portal, those the municipality met in a
    meeting in the last twelve months, and those it has never met."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=365)
    took_part = _participation_ids(municipality=municipality, since=since)
    ever = _participation_ids(municipality=municipality)
    associations = list(
        Association.objects.filter(municipality=municipality, status=Association.Status.VERIFIED)
        .prefetch_related("categories")
        .order_by("name")
    )
    rows = {category.pk: CategoryReach(category=category) for category in Category.objects.all()}
    for association in associations:
        for category in association.categories.all():
            row = rows[category.pk]
            row.registered += 1
            if association.pk in took_part:
                row.took_part += 1
            if association.pk not in ever:
                row.never_met.append(association)
    return Reach(
        categories=[row for row in rows.values() if row.registered],
        associations=associations,
        took_part_ids=took_part,
        ever_ids=ever,
        since=since,
    )


def registrations_for_user(*, user):
    """The user's active registrations for meetings that have not ended, soonest first."""
    return (
        Registration.objects.active()
        .filter(user=user, meeting__ends_at__gte=timezone.now())
        .select_related("meeting__municipality", "association")
        .order_by("meeting__starts_at", "pk")
    )


def meetings_of_association(*, association, limit: int = 10) -> list[Meeting]:
    """Public meetings the association takes part in (registered for, or with an approved stand).

    The meetings are found from the association's own registrations and stands (a union of two
    index lookups), not by joining every meeting to its registrations: the cost follows what the
    association did, not the size of the calendar."""
    registered = Registration.objects.filter(association=association, status=Registration.Status.CONFIRMED).values(
        "meeting_id"
    )
    exhibiting = Exhibitor.objects.filter(association=association, status=Exhibitor.Status.APPROVED).values(
        "meeting_id"
    )
    return list(
        Meeting.objects.public()
        .filter(
            pk__in=registered.order_by().union(exhibiting.order_by()),
            status__in=[Meeting.Status.PUBLISHED, Meeting.Status.HELD],
        )
        .select_related("municipality")
        .order_by("-starts_at")[:limit]
    )
