"""Reads that pages, feeds and reports share. Each is a fixed number of queries, whatever the size."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from organizations.models import Association, Category

from .domain import OSLO, volunteer_day, volunteer_day_span
from .models import (
    Attendance,
    Exhibitor,
    Meeting,
    MeetingLeader,
    MeetingProposal,
    MeetingSeries,
    MeetingTranslation,
    Registration,
)


def _with_related(queryset):
    return queryset.select_related("municipality", "district").prefetch_related(
        "interpretation_languages", "co_hosts", "leaders"
    )


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
    if filters.get("information_language"):
        meetings = meetings.filter(
            Exists(MeetingTranslation.objects.filter(meeting=OuterRef("pk"), language=filters["information_language"]))
        )
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


def with_translations(queryset):
    """The meetings with their translations (and each one's language) in one more query."""
    return queryset.prefetch_related(
        Prefetch("translations", queryset=MeetingTranslation.objects.select_related("language"))
    )


def meeting_for_page(*, pk: int) -> Meeting:
    return (
        with_translations(_with_related(Meeting.objects.select_related("series")))
        .prefetch_related(
            "agenda",
            Prefetch("proposal", queryset=MeetingProposal.objects.select_related("association")),
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


def meetings_for_county(*, county_number: str):
    """The meetings a county municipality organises, in every municipality of its county."""
    return (
        Meeting.objects.filter(organising_county=county_number)
        .select_related("municipality", "district")
        .annotate(
            registration_count=Count("registrations", filter=~Q(registrations__status=Registration.Status.CANCELLED)),
        )
        .order_by("-starts_at", "-pk")
    )


def pending_proposals(*, municipality):
    """Proposals from the municipality's associations waiting for an answer, oldest first."""
    return (
        MeetingProposal.objects.pending()
        .filter(municipality=municipality)
        .select_related("association", "proposed_by")
        .order_by("created_at", "pk")
    )


def proposals_of_association(*, association, limit: int = 20):
    return list(
        MeetingProposal.objects.filter(association=association)
        .select_related("meeting")
        .order_by("-created_at")[:limit]
    )


def meetings_for_staff(*, municipality):
    return (
        Meeting.objects.filter(municipality=municipality)
        .select_related("district", "series")
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
class LeadershipYear:
    year: int
    meetings: int = 0
    with_leadership: int = 0
    with_mayor: int = 0
    with_chief_executive: int = 0


@dataclass
class Reach:
    categories: list[CategoryReach]
    associations: list
    took_part_ids: set
    ever_ids: set
    since: datetime.datetime
    leadership: list[LeadershipYear] = field(default_factory=list)


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
        leadership=leadership_by_year(municipality=municipality, now=now),
    )


def leadership_by_year(*, municipality, now: datetime.datetime | None = None) -> list[LeadershipYear]:
    """Per year (Oslo time), newest first: the municipality's meetings that have taken place, and
    in how many of them someone of its leadership came (as staff marked it), the mayor and the
    chief executive counted on their own. One query, whatever the number of meetings."""
    now = now or timezone.now()
    came = Q(leaders__attended=True)
    rows = (
        Meeting.objects.filter(
            municipality=municipality,
            status__in=(Meeting.Status.PUBLISHED, Meeting.Status.HELD),
            starts_at__lte=now,
        )
        .annotate(year=ExtractYear("starts_at", tzinfo=OSLO))
        .values("year")
        .annotate(
            meetings=Count("pk", distinct=True),
            with_leadership=Count("pk", filter=came, distinct=True),
            with_mayor=Count("pk", filter=came & Q(leaders__role=MeetingLeader.Role.MAYOR), distinct=True),
            with_chief_executive=Count(
                "pk", filter=came & Q(leaders__role=MeetingLeader.Role.CHIEF_EXECUTIVE), distinct=True
            ),
        )
        .order_by("-year")
    )
    return [LeadershipYear(**row) for row in rows]


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


def series_in_feed(*, municipality, since: datetime.datetime) -> list[tuple[MeetingSeries, list[Meeting]]]:
    """The municipality's series with a public meeting ending after `since`, each with all its
    public meetings (the recurring event covers the whole series), with their programme and
    translations. Four queries."""
    public = with_translations(Meeting.objects.public().prefetch_related("agenda").order_by("series_slot"))
    series = (
        MeetingSeries.objects.filter(municipality=municipality)
        .filter(Exists(Meeting.objects.public().filter(series=OuterRef("pk"), ends_at__gte=since)))
        .prefetch_related(Prefetch("meetings", queryset=public, to_attr="public_meetings"))
        .order_by("first_starts_at", "pk")
    )
    return [(one, one.public_meetings) for one in series]


def series_for_page(*, pk: int) -> MeetingSeries:
    return MeetingSeries.objects.select_related("municipality").get(pk=pk)


def series_meetings(*, series: MeetingSeries, public_only: bool):
    """The series' meetings in order, with their registrations counted (staff see drafts too)."""
    meetings = Meeting.objects.public() if public_only else Meeting.objects.all()
    return (
        meetings.filter(series=series)
        .prefetch_related("agenda")
        .annotate(registration_count=Count("registrations", filter=~Q(registrations__status="cancelled")))
        .order_by("series_slot", "pk")
    )
