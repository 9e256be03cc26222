"""Every email the meetings app sends, registered with the portal's notifications registry."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import EmailKind, register

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
