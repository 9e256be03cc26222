"""Every write to meetings that has a rule. Keyword-only, full_clean() before saving, in a transaction."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dialog_portal.permissions import can
from dialog_portal.updates import model_assign
from organizations.models import Association

from . import emails
from .domain import is_volunteer_day_kind, local, validate_meeting_time
from .models import AgendaItem, Attendance, Exhibitor, InputRoundAnswer, Meeting, MeetingTranslation, Registration

# A published meeting whose registrants must hear about a change when one of these changes.
CALENDAR_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "venue_name",
    "venue_address",
    "online_url",
    "mode",
    "description",
)


def _locked(meeting: Meeting) -> Meeting:
    """The meeting row, locked for the rest of the transaction (a row lock on PostgreSQL)."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def meeting_create(
    *, municipality, created_by=None, invited_categories=(), interpretation_languages=(), **fields
) -> Meeting:
    """Create a draft meeting (staff pages, imports and the demo data all come through here)."""
    meeting = Meeting(municipality=municipality, created_by=created_by, status=Meeting.Status.DRAFT, **fields)
    meeting.full_clean()
    meeting.save()
    meeting.invited_categories.set(invited_categories)
    meeting.interpretation_languages.set(interpretation_languages)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, invited_categories=None, interpretation_languages=None, **fields) -> Meeting:
    """Save changes; the after-work rule is checked again with the municipality's time as it is now.

    When a published meeting's time, place or title changes, its calendar SEQUENCE goes up and
    everyone registered gets a change notice.
    """
    model_assign(instance=meeting, data=fields)
    before = Meeting.objects.select_for_update().get(pk=meeting.pk)
    changed = [name for name in CALENDAR_FIELDS if getattr(before, name) != getattr(meeting, name)]
    meeting.status = before.status
    meeting.sequence = before.sequence
    meeting.full_clean()
    if changed and meeting.status == Meeting.Status.PUBLISHED:
        meeting.sequence += 1
    meeting.save()
    if invited_categories is not None:
        meeting.invited_categories.set(invited_categories)
    if interpretation_languages is not None:
        meeting.interpretation_languages.set(interpretation_languages)
    if changed and meeting.status == Meeting.Status.PUBLISHED:
        emails.meeting_changed(meeting=meeting, changed=changed)
    if before.capacity is not None and (meeting.capacity is None or meeting.capacity > before.capacity):
        # More seats: the waitlist moves up at once.
        waitlist_promote(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_publish(*, meeting: Meeting, invite: bool = True) -> Meeting:
    """Publish a draft and invite its associations (a series invites once, see series_publish)."""
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.DRAFT:
        raise ValidationError(_("Bare utkast kan publiseres."))
    if meeting.starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Møtet har allerede startet. Velg et tidspunkt fram i tid.")})
    meeting.status = Meeting.Status.PUBLISHED
    meeting.published_at = timezone.now()
    meeting.full_clean()
    meeting.save()
    if invite:
        meeting_invite(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_invite(*, meeting: Meeting) -> int:
    """Invite the associations the meeting is for: one email to each admin of each association.

    Safe to run again (after adding categories, say): associations already invited are not
    invited twice. Returns how many emails were recorded now.
    """
    if meeting.status != Meeting.Status.PUBLISHED:
        raise ValidationError(_("Invitasjoner sendes når møtet er publisert."))
    return emails.invitations(meeting=meeting, associations=invited_associations(meeting=meeting))


def invited_associations(*, meeting: Meeting):
    """The associations the meeting is for, and those that answered the input round it was made
    from (they told the municipality what they need, so they hear when it is set)."""
    verified = Association.objects.filter(municipality_id=meeting.municipality_id, status=Association.Status.VERIFIED)
    associations = verified
    if meeting.district_id:
        associations = associations.filter(district_id=meeting.district_id)
    if not meeting.invite_all:
        associations = associations.filter(categories__in=meeting.invited_categories.all()).distinct()
    gave_input = InputRoundAnswer.objects.filter(input_round__meeting=meeting).values("association_id")
    return verified.filter(Q(pk__in=associations.values("pk")) | Q(pk__in=gave_input)).order_by("name")


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a published meeting and tell everyone registered.

    A draft cannot be cancelled: nobody has seen it, so staff keep it or delete it instead (a
    cancelled meeting is shown in the calendar, and a draft must never be).
    """
    meeting = _locked(meeting)
    if meeting.status == Meeting.Status.DRAFT:
        raise ValidationError(
            _("Et utkast kan ikke avlyses, for det er ikke publisert. Behold det som utkast eller slett det.")
        )
    if meeting.status != Meeting.Status.PUBLISHED:
        raise ValidationError(_("Bare planlagte møter kan avlyses."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = (reason or "").strip()
    meeting.cancelled_at = timezone.now()
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    emails.meeting_cancelled(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_duplicate(*, meeting: Meeting, by=None) -> Meeting:
    """A new draft with the same content, agenda, inclusive features and translations, to adjust and publish.

    Staff often copy a meeting after it took place to plan the next one; since no meeting can be
    saved at a past time, such a copy moves to the same weekday and time in a coming week.
    """
    copy = Meeting(
        municipality=meeting.municipality,
        district=meeting.district,
        created_by=by,
        title=_("Kopi av %(title)s") % {"title": meeting.title},
        status=Meeting.Status.DRAFT,
    )
    for field in Meeting._meta.concrete_fields:
        if field.name in {
            "id",
            "uid",
            "municipality",
            "district",
            "title",
            "status",
            "cancel_reason",
            "sequence",
            "summary",
            "follow_up_points",
            "summary_published_at",
            "published_at",
            "cancelled_at",
            "created_by",
            "created_at",
            "updated_at",
        }:
            continue
        setattr(copy, field.attname, getattr(meeting, field.attname))
    if copy.has_started:
        _move_to_a_coming_week(copy)
    copy.full_clean()
    copy.save()
    copy.invited_categories.set(meeting.invited_categories.all())
    copy.interpretation_languages.set(meeting.interpretation_languages.all())
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=copy,
            position=item.position,
            starts_at=item.starts_at,
            title=item.title,
            description=item.description,
        )
        for item in meeting.agenda.all()
    )
    # The information in other languages comes along for staff to adjust, in the languages still in use.
    MeetingTranslation.objects.bulk_create(
        MeetingTranslation(
            meeting=copy,
            language=translation.language,
            title=translation.title,
            description=translation.description,
            practical_information=translation.practical_information,
        )
        for translation in meeting.translations.filter(language__active=True).select_related("language")
    )
    return copy


def _move_to_a_coming_week(meeting: Meeting, weeks_to_try: int = 60) -> None:
    """Move the meeting whole weeks ahead (same local weekday and time) to the first week that is
    in the future and passes the after-work rule; the registration deadline moves along. A
    Volunteer Day event moves to 5 December of a coming year instead."""
    now = timezone.now()
    if is_volunteer_day_kind(meeting.kind):
        moves = [lambda moment, n=n: moment.replace(year=moment.year + n) for n in range(1, 4)]
    else:
        # Adding to an Oslo time keeps the clock time across a change to or from summer time.
        moves = [lambda moment, n=n: moment + datetime.timedelta(weeks=n) for n in range(1, weeks_to_try + 1)]
    start, end = local(meeting.starts_at), local(meeting.ends_at)
    for move in moves:
        if move(start) <= now:
            continue
        try:
            validate_meeting_time(
                starts_at=move(start),
                ends_at=move(end),
                after_work_start=meeting.municipality.after_work_start,
                kind=meeting.kind,
            )
        except ValidationError:
            continue
        meeting.starts_at, meeting.ends_at = move(start), move(end)
        if meeting.registration_deadline is not None:
            meeting.registration_deadline = move(local(meeting.registration_deadline))
        return


@transaction.atomic
def meeting_summary_publish(*, meeting: Meeting, summary: str, follow_up_points: str) -> Meeting:
    meeting = _locked(meeting)
    if meeting.status not in (Meeting.Status.PUBLISHED, Meeting.Status.HELD) or meeting.starts_at > timezone.now():
        raise ValidationError(_("Oppsummeringen publiseres etter at møtet har startet."))
    if not summary.strip():
        raise ValidationError({"summary": _("Skriv en oppsummering.")})
    meeting.summary = summary.strip()
    meeting.follow_up_points = follow_up_points.strip()
    meeting.summary_published_at = meeting.summary_published_at or timezone.now()
    meeting.status = Meeting.Status.HELD
    meeting.full_clean()
    meeting.save()
    return meeting


def seats_taken(meeting: Meeting) -> int:
    return meeting.registrations.confirmed().aggregate(total=Sum("attendees"))["total"] or 0


def registration_open(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    if meeting.status != Meeting.Status.PUBLISHED or meeting.starts_at <= now:
        return False
    return not (meeting.registration_deadline and meeting.registration_deadline < now)


def may_act_for(user, association) -> bool:
    """Only members of a verified association act for it, site admins included, and nobody while a
    take-over waits for the municipality (the rule organizations.act_for_association)."""
    return can(user, "organizations.act_for_association", association)


def _check_may_act_for(user, association):
    if association is not None and not may_act_for(user, association):
        raise PermissionDenied(_("Du kan bare melde på godkjente lag du er medlem av."))


def registration_create(
    *,
    meeting: Meeting,
    user,
    association=None,
    attendees: int = 1,
    interpretation_language=None,
    accessibility_needs: str = "",
    diet: str = "",
    topics: str = "",
) -> Registration:
    """Register for a meeting; when the seats left are too few, the registration goes on the waitlist.

    Someone already waiting is not overtaken: while anyone is on the waitlist, a new registration
    joins it at the back (see waitlist_promote).

    The meeting row is locked while the seats are counted, so two people racing for the last seat
    cannot both get it: the second waits for the first to commit, then counts again.
    """
    _check_may_act_for(user, association)
    try:
        with transaction.atomic():
            locked = _locked(meeting)
            if not registration_open(locked):
                raise ValidationError(_("Påmeldingen til dette møtet er stengt."))
            registration = Registration(
                meeting=locked,
                user=user,
                association=association,
                attendees=attendees,
                interpretation_language=interpretation_language,
                accessibility_needs=accessibility_needs,
                diet=diet,
                topics=topics,
            )
            available = seats_available(locked)
            if available is not None and attendees > available:
                registration.status = Registration.Status.WAITLISTED
            registration.full_clean(validate_constraints=False)
            registration.save()
            emails.registration_received(registration=registration)
    except IntegrityError:
        raise ValidationError(_("Du er allerede påmeldt dette møtet.")) from None
    return registration


def registration_locked_reason(meeting: Meeting) -> str | None:
    """Why a registration can no longer be changed or cancelled, or None while it can.

    Once the meeting has started, the registrations are the record of who was expected; staff
    mark who came on the attendance page instead.
    """
    if meeting.has_started:
        return _("Møtet har startet, så påmeldingen kan ikke lenger endres eller meldes av.")
    return None


def _check_not_locked(meeting: Meeting) -> None:
    reason = registration_locked_reason(meeting)
    if reason:
        raise ValidationError(reason)


@transaction.atomic
def registration_update(*, registration: Registration, user, **fields) -> Registration:
    """Change needs, topics or attendees.

    A confirmed registration may grow only into the seats nobody on the waitlist is waiting for;
    more is refused, not waitlisted. A waitlisted one that shrinks to fit gets its seat at once.
    """
    meeting = _locked(registration.meeting)
    stored = Registration.objects.select_for_update().get(pk=registration.pk)
    if stored.user_id != user.pk:
        raise PermissionDenied
    registration = stored
    _check_not_locked(meeting)
    if not registration.is_active or not registration_open(meeting):
        raise ValidationError(_("Påmeldingen kan ikke endres lenger."))
    _check_may_act_for(user, fields.get("association", registration.association))
    available = seats_available(meeting, registration=registration)
    model_assign(instance=registration, data=fields)
    if (
        registration.status == Registration.Status.CONFIRMED
        and available is not None
        and registration.attendees > available
    ):
        raise ValidationError({"attendees": _not_enough_seats_message(available)})
    registration.full_clean(validate_constraints=False)
    registration.save()
    waitlist_promote(meeting=meeting)
    return registration


def _not_enough_seats_message(available: int) -> str:
    return _("Det er ikke nok ledige plasser til så mange deltakere. Dere kan være høyst %(count)s.") % {
        "count": available
    }


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration:
    """Cancel (the person, or staff for them), then give freed seats to the waitlist.

    Cancelling a waitlisted registration can free the queue too: the ones behind it may fit.
    """
    meeting = _locked(registration.meeting)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_active:
        return registration
    _check_not_locked(meeting)
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    waitlist_promote(meeting=meeting)
    return registration


def seats_free(meeting: Meeting) -> int | None:
    """Seats nobody has (the waitlist may be waiting for them); None when the meeting has no limit."""
    if meeting.capacity is None:
        return None
    return max(meeting.capacity - seats_taken(meeting), 0)


def seats_available(meeting: Meeting, *, registration: Registration | None = None) -> int | None:
    """How many attendees the registration (or, without one, a new registration) may have now
    without passing anyone on the waitlist; None when the meeting has no limit.

    A confirmed registration keeps its own seats and may add free seats only while nobody waits.
    A waitlisted one may take the free seats when it is first in the queue. A new one comes last.
    """
    free = seats_free(meeting)
    if free is None:
        return None
    waiting = meeting.registrations.filter(status=Registration.Status.WAITLISTED)
    if registration is not None and registration.status == Registration.Status.WAITLISTED:
        waiting = waiting.filter(
            Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
    own = (
        registration.attendees
        if registration is not None and registration.status == Registration.Status.CONFIRMED
        else 0
    )
    return own + (0 if waiting.exists() else free)


@transaction.atomic
def waitlist_promote(*, meeting: Meeting) -> list[Registration]:
    """Give the free seats to the waitlist, strictly in the order people signed up.

    The one place that moves people off the waitlist: registrations cancelled (by the person or by
    staff), a waitlisted group made smaller, more seats. Each promoted person gets the promotion
    email. The first in the queue is never overtaken: when its group is larger than the free
    seats, the ones behind it wait too (and new registrations join the back), rather than a
    steady trickle of small registrations keeping a large group waiting for good. The group is
    told how many seats are free and may make itself smaller to take them.

    Locks the meeting row, as every write to its registrations does, so two changes at once
    cannot hand out the same seat.
    """
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.PUBLISHED or meeting.has_started:
        return []
    free = None if meeting.capacity is None else meeting.capacity - seats_taken(meeting)
    promoted = []
    queue = meeting.registrations.select_for_update().filter(status=Registration.Status.WAITLISTED)
    for waiting in queue.order_by("created_at", "pk"):
        if free is not None and waiting.attendees > free:
            break
        waiting.status = Registration.Status.CONFIRMED
        waiting.promoted_at = timezone.now()
        waiting.save(update_fields=["status", "promoted_at"])
        emails.registration_promoted(registration=waiting)
        promoted.append(waiting)
        if free is not None:
            free -= waiting.attendees
    return promoted


@transaction.atomic
def exhibitor_apply(*, meeting: Meeting, association, user, description: str = "", needs: str = "") -> Exhibitor:
    if not may_act_for(user, association):
        raise PermissionDenied(_("Du kan bare søke om stand for godkjente lag du er medlem av."))
    if meeting.status != Meeting.Status.PUBLISHED or meeting.starts_at <= timezone.now():
        raise ValidationError(_("Det er ikke lenger mulig å søke om stand på dette arrangementet."))
    already = _("%(name)s har allerede søkt om stand.") % {"name": association.name}
    if Exhibitor.objects.filter(meeting=meeting, association=association).exists():
        raise ValidationError(already)
    exhibitor = Exhibitor(
        meeting=meeting, association=association, applied_by=user, description=description, needs=needs
    )
    exhibitor.full_clean(validate_constraints=False)
    try:
        # Two admins of the same association applying at once: the unique constraint decides.
        with transaction.atomic():
            exhibitor.save()
    except IntegrityError:
        raise ValidationError(already) from None
    return exhibitor


@transaction.atomic
def exhibitor_decide(*, exhibitor: Exhibitor, approve: bool, stand_number: int | None = None) -> Exhibitor:
    exhibitor = Exhibitor.objects.select_for_update().select_related("meeting", "association").get(pk=exhibitor.pk)
    before = (exhibitor.status, exhibitor.stand_number)
    if approve:
        exhibitor.status = Exhibitor.Status.APPROVED
        exhibitor.stand_number = stand_number
    else:
        exhibitor.status = Exhibitor.Status.REJECTED
        exhibitor.stand_number = None
    exhibitor.full_clean()
    exhibitor.save()
    if (exhibitor.status, exhibitor.stand_number) != before:
        # Saving the same decision again tells nobody twice; a changed one is news.
        emails.exhibitor_decided(exhibitor=exhibitor, occasion=f"decision-{timezone.now():%Y%m%dT%H%M%S.%f}")
    return exhibitor


@transaction.atomic
def attendance_set(*, meeting: Meeting, registration_ids, walk_in_association_ids=(), by=None) -> None:
    """Record who came. Replaces what was marked before; marks the meeting held."""
    meeting = _locked(meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Oppmøte registreres når møtet har startet."))
    if meeting.status not in (Meeting.Status.PUBLISHED, Meeting.Status.HELD):
        raise ValidationError(_("Oppmøte kan bare registreres for møter som er holdt."))
    registrations = {r.pk: r for r in meeting.registrations.confirmed().filter(pk__in=list(registration_ids))}
    meeting.attendances.exclude(registration_id__in=registrations.keys()).filter(registration__isnull=False).delete()
    already = set(meeting.attendances.filter(registration__isnull=False).values_list("registration_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, registration=r, association_id=r.association_id, marked_by=by)
        for pk, r in registrations.items()
        if pk not in already
    )
    walk_ins = set(walk_in_association_ids)
    # Walk-ins are the host municipality's verified associations, as the page offers them.
    known = set(
        Association.objects.filter(
            pk__in=walk_ins, municipality_id=meeting.municipality_id, status=Association.Status.VERIFIED
        ).values_list("pk", flat=True)
    )
    if walk_ins - known:
        raise ValidationError(
            {"walk_in": _("Bare godkjente lag i vertskommunen kan registreres som møtt uten påmelding.")}
        )
    meeting.attendances.filter(registration__isnull=True).exclude(association_id__in=walk_ins).delete()
    existing = set(meeting.attendances.filter(registration__isnull=True).values_list("association_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, association_id=pk, marked_by=by) for pk in walk_ins - existing
    )
    if meeting.status == Meeting.Status.PUBLISHED:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])


# Translations -------------------------------------------------------------------------------------


def _check_translatable(meeting: Meeting) -> None:
    # The same limit as editing the meeting itself: what was held or cancelled stays as it was.
    if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED):
        raise ValidationError(_("Avlyste og gjennomførte møter kan ikke endres."))


def _touch(meeting: Meeting) -> None:
    """A changed translation changes what the .ics and the feed say: the meeting's LAST-MODIFIED
    moves, and with it the key the feed is cached under."""
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=timezone.now())


@transaction.atomic
def meeting_translation_create(
    *, meeting: Meeting, language, title: str, description: str = "", practical_information: str = ""
) -> MeetingTranslation:
    meeting = _locked(meeting)
    _check_translatable(meeting)
    translation = MeetingTranslation(
        meeting=meeting,
        language=language,
        title=title.strip(),
        description=description.strip(),
        practical_information=practical_information.strip(),
    )
    translation.full_clean()
    translation.save()
    _touch(meeting)
    return translation


@transaction.atomic
def meeting_translation_update(
    *, translation: MeetingTranslation, title: str, description: str = "", practical_information: str = ""
) -> MeetingTranslation:
    _check_translatable(_locked(translation.meeting))
    translation.title = title.strip()
    translation.description = description.strip()
    translation.practical_information = practical_information.strip()
    translation.full_clean()
    translation.save()
    _touch(translation.meeting)
    return translation


@transaction.atomic
def meeting_translation_delete(*, translation: MeetingTranslation) -> None:
    _check_translatable(_locked(translation.meeting))
    translation.delete()
    _touch(translation.meeting)
