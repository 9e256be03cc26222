"""Every email the meetings app sends, registered with the portal's notifications registry, and who hears it.

Each email is recorded under a unique (kind, object, recipient, occasion), so calling any of the
functions below twice sends once; the sweeps in sweeps.py rely on that.
"""

from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from notifications.registry import EmailKind, register
from notifications.services import email_enqueue
from organizations.models import Membership

from .ical import meeting_ics
from .languages import LANGUAGE_PARAMETER, translations_for_association
from .models import AgreedAction, Exhibitor, InputRound, Meeting, Registration

INVITATION = register(
    EmailKind(
        key="meetings.invitation",
        template="meetings/emails/invitation",
        description=_("Invitasjon til en møteplass, til administratorene i hvert invitert lag"),
    )
)
REGISTRATION_CONFIRMED = register(
    EmailKind(
        key="meetings.registration_confirmed",
        template="meetings/emails/registration_confirmed",
        description=_("Bekreftelse på påmelding, med kalenderfil"),
    )
)
REGISTRATION_WAITLISTED = register(
    EmailKind(
        key="meetings.registration_waitlisted",
        template="meetings/emails/registration_waitlisted",
        description=_("Påmeldingen står på venteliste"),
    )
)
REGISTRATION_PROMOTED = register(
    EmailKind(
        key="meetings.registration_promoted",
        template="meetings/emails/registration_promoted",
        description=_("Plass fra ventelisten, med kalenderfil"),
    )
)
MEETING_CHANGED = register(
    EmailKind(
        key="meetings.meeting_changed",
        template="meetings/emails/meeting_changed",
        description=_("Endring i tid, sted eller innhold, til de påmeldte"),
    )
)
MEETING_CANCELLED = register(
    EmailKind(
        key="meetings.meeting_cancelled",
        template="meetings/emails/meeting_cancelled",
        description=_("Møtet er avlyst, til de påmeldte"),
    )
)
EXHIBITOR_DECIDED = register(
    EmailKind(
        key="meetings.exhibitor_decided",
        template="meetings/emails/exhibitor_decided",
        description=_("Svar på søknad om stand, til administratorene i laget"),
    )
)
REMINDER = register(
    EmailKind(
        key="meetings.reminder",
        template="meetings/emails/reminder",
        transactional=False,
        description=_("Påminnelse før møtet (standard 48 timer før)"),
    )
)
VOLUNTEER_DAY_NUDGE = register(
    EmailKind(
        key="meetings.volunteer_day_nudge",
        template="meetings/emails/volunteer_day_nudge",
        transactional=False,
        description=_("1. november: kommunen har ikke planlagt noe på frivillighetens dag ennå"),
    )
)
ACTION_DUE_SOON = register(
    EmailKind(
        key="meetings.action_due_soon",
        template="meetings/emails/action_due_soon",
        transactional=False,
        description=_("En uke før fristen for et avtalt tiltak, til den ansvarlige"),
    )
)
ACTION_OVERDUE = register(
    EmailKind(
        key="meetings.action_overdue",
        template="meetings/emails/action_overdue",
        transactional=False,
        description=_("Fristen for et avtalt tiltak har gått ut, til den ansvarlige"),
    )
)
INPUT_ROUND_INVITATION = register(
    EmailKind(
        key="meetings.input_round_invitation",
        template="meetings/emails/input_round_invitation",
        description=_("Kommunen spør lagene hvilke datoer som passer og hva de trenger, før møtet planlegges"),
    )
)


def _ics_attachment(meeting: Meeting):
    return [("moete.ics", meeting_ics(meeting), "text/calendar")]


def _translation_context(translation) -> dict:
    language = translation.language
    return {
        "code": language.code,
        "direction": language.direction,
        "name": language.native_name,
        "title": translation.title,
        "description": translation.description,
        "practical_information": translation.practical_information,
        "path": f"{translation.meeting.get_absolute_url()}?{urlencode({LANGUAGE_PARAMETER: language.code})}",
    }


def invitations(*, meeting: Meeting, associations) -> int:
    """An association that runs its activities in a language the meeting has information in gets
    that information in the invitation too, as staff wrote it."""
    sent = 0
    translations = list(meeting.translations.select_related("language"))
    for association in associations.prefetch_related("memberships__user", "activity_languages"):
        matching = translations_for_association(
            translations, [language.slug for language in association.activity_languages.all()]
        )
        context = {
            "association_name": association.name,
            "translations": [_translation_context(translation) for translation in matching],
        }
        for membership in association.memberships.all():
            if membership.role != Membership.Role.ADMIN or not membership.user.is_active:
                continue
            email = email_enqueue(
                kind=INVITATION.key,
                recipient=membership.user,
                obj=meeting,
                occasion=f"association-{association.pk}",
                context=context,
            )
            sent += email is not None
    return sent


def registration_received(*, registration: Registration) -> None:
    confirmed = registration.status == Registration.Status.CONFIRMED
    email_enqueue(
        kind=REGISTRATION_CONFIRMED.key if confirmed else REGISTRATION_WAITLISTED.key,
        recipient=registration.user,
        obj=registration,
        attachments=_ics_attachment(registration.meeting) if confirmed else None,
    )


def registration_promoted(*, registration: Registration) -> None:
    email_enqueue(
        kind=REGISTRATION_PROMOTED.key,
        recipient=registration.user,
        obj=registration,
        occasion=f"promoted-{registration.promoted_at:%Y%m%d%H%M%S}",
        attachments=_ics_attachment(registration.meeting),
    )


def _registrants(meeting: Meeting):
    return meeting.registrations.active().select_related("user", "meeting").filter(user__is_active=True).order_by("pk")


def meeting_changed(*, meeting: Meeting, changed: list[str]) -> None:
    ics = _ics_attachment(meeting)
    for registration in _registrants(meeting):
        email_enqueue(
            kind=MEETING_CHANGED.key,
            recipient=registration.user,
            obj=meeting,
            occasion=f"sequence-{meeting.sequence}",
            context={
                "time_changed": bool({"starts_at", "ends_at"} & set(changed)),
                "place_changed": bool({"venue_name", "venue_address", "online_url", "mode"} & set(changed)),
            },
            attachments=ics,
        )


def meeting_cancelled(*, meeting: Meeting) -> None:
    ics = _ics_attachment(meeting)
    for registration in _registrants(meeting):
        email_enqueue(
            kind=MEETING_CANCELLED.key,
            recipient=registration.user,
            obj=meeting,
            occasion="cancelled",
            attachments=ics,
        )


def exhibitor_decided(*, exhibitor: Exhibitor, occasion: str) -> None:
    """The applying association's admins hear the decision; a new decision is a new occasion."""
    admins = exhibitor.association.memberships.filter(role=Membership.Role.ADMIN, user__is_active=True).select_related(
        "user"
    )
    for membership in admins.order_by("pk"):
        email_enqueue(
            kind=EXHIBITOR_DECIDED.key,
            recipient=membership.user,
            obj=exhibitor,
            occasion=occasion,
            context={
                "approved": exhibitor.status == Exhibitor.Status.APPROVED,
                "stand_number": exhibitor.stand_number,
            },
        )


def reminder(*, registration: Registration) -> bool:
    meeting = registration.meeting
    return (
        email_enqueue(
            kind=REMINDER.key,
            recipient=registration.user,
            obj=meeting,
            # A moved meeting gets a new reminder for its new time.
            occasion=f"reminder-{meeting.starts_at:%Y%m%dT%H%M}",
            attachments=_ics_attachment(meeting),
        )
        is not None
    )


def volunteer_day_nudge(*, municipality, staff_user, year: int) -> bool:
    return (
        email_enqueue(
            kind=VOLUNTEER_DAY_NUDGE.key,
            recipient=staff_user,
            obj=municipality,
            occasion=f"volunteer-day-{year}",
            context={"year": year},
        )
        is not None
    )


PROPOSAL_ACCEPTED = register(
    EmailKind(
        key="meetings.proposal_accepted",
        template="meetings/emails/proposal_accepted",
        description=_("Kommunen har godtatt lagets forslag til møte, til administratorene i laget"),
    )
)
PROPOSAL_DECLINED = register(
    EmailKind(
        key="meetings.proposal_declined",
        template="meetings/emails/proposal_declined",
        description=_("Kommunen har avslått lagets forslag til møte, med begrunnelsen, til administratorene i laget"),
    )
)


def proposal_decided(*, proposal) -> None:
    """The proposing association's admins hear the answer; each proposal is answered once."""
    kind = PROPOSAL_ACCEPTED if proposal.status == proposal.Status.ACCEPTED else PROPOSAL_DECLINED
    admins = proposal.association.memberships.filter(role=Membership.Role.ADMIN, user__is_active=True).select_related(
        "user"
    )
    for membership in admins.order_by("pk"):
        email_enqueue(kind=kind.key, recipient=membership.user, obj=proposal, occasion="decided")


def action_owner_recipients(action: AgreedAction) -> list:
    """Who answers for the action: the admins of the owning association, or, for a municipal unit,
    the municipality's staff in the portal and the unit's address recorded on the action."""
    if action.owner_association_id:
        memberships = action.owner_association.memberships.filter(
            role=Membership.Role.ADMIN, user__is_active=True
        ).select_related("user")
        return [membership.user for membership in memberships.order_by("pk")]
    staff = action.meeting.municipality.staff.filter(user__is_active=True).select_related("user")
    recipients = [role.user for role in staff.order_by("pk")]
    if action.owner_email and action.owner_email.lower() not in {user.email.lower() for user in recipients}:
        recipients.append(action.owner_email)
    return recipients


def action_reminder(*, action: AgreedAction, overdue: bool) -> int:
    """One reminder per owner, due date and kind: a moved due date is reminded of again."""
    kind = ACTION_OVERDUE if overdue else ACTION_DUE_SOON
    sent = 0
    for recipient in action_owner_recipients(action):
        email = email_enqueue(
            kind=kind.key,
            recipient=recipient,
            obj=action,
            occasion=f"due-{action.due_on:%Y%m%d}",
            context={"owner_name": action.owner_name},
        )
        sent += email is not None
    return sent


def input_round_invitations(*, input_round: InputRound, associations) -> int:
    """Each admin of each association asked; once per association and admin, however often called."""
    sent = 0
    for association in associations.prefetch_related("memberships__user"):
        for membership in association.memberships.all():
            if membership.role != Membership.Role.ADMIN or not membership.user.is_active:
                continue
            email = email_enqueue(
                kind=INPUT_ROUND_INVITATION.key,
                recipient=membership.user,
                obj=input_round,
                occasion=f"association-{association.pk}",
                context={"association_name": association.name},
            )
            sent += email is not None
    return sent
