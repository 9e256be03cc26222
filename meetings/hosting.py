"""Hosts beyond the municipality, and the leadership present: the writes, with their rules.

Associations propose meetings to their municipality and co-host them; a county municipality
organises meetings in the municipalities of its county (MeetingForm and Meeting.clean() carry its
rule); the municipality's leaders say they will come and, afterwards, staff mark who came.
Keyword-only, full_clean() before saving, in a transaction, as in services.py.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialog_portal.permissions import can
from organizations.domain import LeaderRole
from organizations.models import Association, MunicipalLeader

from . import emails, services
from .models import AgendaItem, Meeting, MeetingLeader, MeetingProposal

# What a co-host may change: where and how the meeting is held and what it holds, never its time,
# its seats, whom it invites or its status.
PRACTICAL_FIELDS = (
    "description",
    "venue_name",
    "venue_address",
    "directions",
    "online_url",
    *Meeting.INCLUSIVE_FEATURES,
    "plain_summary",
)


# Proposals from associations -------------------------------------------------------------------


@transaction.atomic
def proposal_create(*, association: Association, user, agenda: str = "", **fields) -> MeetingProposal:
    """An association's admin proposes a meeting to the association's municipality."""
    if not can(user, "meetings.propose_meeting", association):
        raise PermissionDenied(_("Bare administratorer i godkjente lag kan foreslå møter for laget."))
    proposal = MeetingProposal(
        municipality_id=association.municipality_id,
        association=association,
        proposed_by=user,
        agenda=agenda.strip(),
        **{name: fields[name] for name in MeetingProposal.MEETING_FIELDS if name in fields},
    )
    proposal.full_clean()
    proposal.save()
    return proposal


def _locked_proposal(proposal: MeetingProposal) -> MeetingProposal:
    locked = (
        MeetingProposal.objects.select_for_update().select_related("municipality", "association").get(pk=proposal.pk)
    )
    if locked.status != MeetingProposal.Status.PENDING:
        raise ValidationError(_("Forslaget er allerede besvart."))
    return locked


@transaction.atomic
def proposal_accept(*, proposal: MeetingProposal, by=None) -> Meeting:
    """Make the proposal a meeting and publish it, with the association as co-host.

    The meeting passes the after-work rule again as the municipality has it now, and must still
    lie ahead. The associations it is for get their invitations, and the proposing association's
    admins hear that it was accepted.
    """
    proposal = _locked_proposal(proposal)
    meeting = services.meeting_create(
        municipality=proposal.municipality,
        created_by=by,
        **{name: getattr(proposal, name) for name in MeetingProposal.MEETING_FIELDS},
    )
    items = proposal.agenda_items()
    for item in items:
        item.meeting = meeting
    AgendaItem.objects.bulk_create(items)
    meeting.co_hosts.add(proposal.association)
    meeting = services.meeting_publish(meeting=meeting)
    proposal.status = MeetingProposal.Status.ACCEPTED
    proposal.meeting = meeting
    proposal.decided_at = timezone.now()
    proposal.decided_by = by
    proposal.full_clean()
    proposal.save()
    emails.proposal_decided(proposal=proposal)
    return meeting


@transaction.atomic
def proposal_decline(*, proposal: MeetingProposal, reason: str, by=None) -> MeetingProposal:
    """Decline with a reason, which the proposing association's admins get by email."""
    proposal = _locked_proposal(proposal)
    proposal.status = MeetingProposal.Status.DECLINED
    proposal.decline_reason = (reason or "").strip()
    proposal.decided_at = timezone.now()
    proposal.decided_by = by
    proposal.full_clean()
    proposal.save()
    emails.proposal_decided(proposal=proposal)
    return proposal


# Co-hosts ----------------------------------------------------------------------------------------


def co_host_candidates(*, meeting: Meeting):
    """The associations that may co-host the meeting: the verified ones of its municipality."""
    return Association.objects.filter(municipality_id=meeting.municipality_id, status=Association.Status.VERIFIED)


@transaction.atomic
def meeting_co_hosts_set(*, meeting: Meeting, associations) -> Meeting:
    """Set the meeting's co-hosting associations (staff, on any meeting that is not over)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED):
        raise ValidationError(_("Medarrangører kan bare endres for møter som ikke er avlyst eller gjennomført."))
    chosen = {association.pk for association in associations}
    allowed = set(co_host_candidates(meeting=meeting).filter(pk__in=chosen).values_list("pk", flat=True))
    if chosen - allowed:
        raise ValidationError(
            {"co_hosts": _("Bare godkjente lag og foreninger i vertskommunen kan være medarrangører.")}
        )
    meeting.co_hosts.set(chosen)
    return meeting


@transaction.atomic
def meeting_practical_update(*, meeting: Meeting, interpretation_languages=None, **fields) -> Meeting:
    """A co-host's (or staff's) change of the practical information; time and seats stay as they are.

    Saved by services.meeting_update, so the rules and the change notices to registrants are the same.
    """
    unknown = set(fields) - set(PRACTICAL_FIELDS)
    if unknown:
        raise PermissionDenied(_("Medarrangører kan endre praktisk informasjon, ikke tid eller antall plasser."))
    if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED):
        raise ValidationError(_("Avlyste og gjennomførte møter kan ikke endres."))
    return services.meeting_update(meeting=meeting, interpretation_languages=interpretation_languages, **fields)


# The leadership present --------------------------------------------------------------------------

MAYOR_KEY = LeaderRole.MAYOR.value
CHIEF_EXECUTIVE_KEY = LeaderRole.CHIEF_EXECUTIVE.value


def leader_key(row) -> str:
    """The key a form uses for a leader: the role for the mayor and the chief executive, who are
    named in the municipality's record, "leader-<pk>" for a listed leader."""
    if isinstance(row, MunicipalLeader):
        return f"leader-{row.pk}"
    return f"leader-{row.leader_id}" if row.leader_id else row.role


def leadership_choices(*, meeting: Meeting) -> list[tuple[str, str, str]]:
    """(key, role, name) for everyone of the host municipality's leadership, mayor first."""
    municipality = meeting.municipality
    choices = [
        (MAYOR_KEY, LeaderRole.MAYOR.label, municipality.political_leader_name),
        (CHIEF_EXECUTIVE_KEY, LeaderRole.CHIEF_EXECUTIVE.label, municipality.administrative_leader_name),
    ]
    for leader in MunicipalLeader.objects.filter(municipality_id=municipality.pk).order_by("role", "committee", "name"):
        role = leader.get_role_display()
        choices.append((leader_key(leader), f"{role}, {leader.committee}" if leader.committee else role, leader.name))
    return choices


def _leadership_rows(meeting: Meeting, keys) -> dict[str, MeetingLeader]:
    """A MeetingLeader for each key, unsaved for those the meeting has none yet, with the name the
    municipal record has now."""
    existing = {leader_key(row): row for row in meeting.leaders.select_for_update()}
    listed = {
        leader_key(leader): leader
        for leader in MunicipalLeader.objects.filter(
            municipality_id=meeting.municipality_id,
            pk__in=[int(key.removeprefix("leader-")) for key in keys if key.startswith("leader-")],
        )
    }
    rows = {}
    for key in keys:
        if key in existing:
            rows[key] = existing[key]
        elif key == MAYOR_KEY:
            rows[key] = MeetingLeader(
                meeting=meeting, role=LeaderRole.MAYOR, name=meeting.municipality.political_leader_name
            )
        elif key == CHIEF_EXECUTIVE_KEY:
            rows[key] = MeetingLeader(
                meeting=meeting, role=LeaderRole.CHIEF_EXECUTIVE, name=meeting.municipality.administrative_leader_name
            )
        elif key in listed:
            leader = listed[key]
            rows[key] = MeetingLeader(
                meeting=meeting, role=leader.role, leader=leader, name=leader.name, committee=leader.committee
            )
        else:
            raise ValidationError(_("Velg bare blant kommunens ledere og folkevalgte på siden."))
    return rows


def _apply(meeting: Meeting, keys, flag: str) -> None:
    """Set `flag` (announced or attended) on exactly the leaders named by `keys`; a row left with
    neither goes."""
    keys = set(keys)
    rows = _leadership_rows(meeting, keys)
    for row in meeting.leaders.all():
        if leader_key(row) not in keys and getattr(row, flag):
            setattr(row, flag, False)
            if row.announced or row.attended:
                row.save(update_fields=[flag])
            else:
                row.delete()
    for row in rows.values():
        if not getattr(row, flag) or row.pk is None:
            setattr(row, flag, True)
            row.full_clean(validate_constraints=False)
            row.save()


@transaction.atomic
def meeting_leaders_announce(*, meeting: Meeting, keys) -> None:
    """Record who of the leadership has said they will attend (replaces what was recorded)."""
    meeting = Meeting.objects.select_for_update().select_related("municipality").get(pk=meeting.pk)
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.HELD) or meeting.has_started:
        raise ValidationError(_("Hvem som kommer fra kommuneledelsen, registreres før møtet starter."))
    _apply(meeting, keys, "announced")


@transaction.atomic
def meeting_leaders_attended_set(*, meeting: Meeting, keys) -> None:
    """Record who of the leadership came, with the rest of the attendance (replaces what was marked)."""
    meeting = Meeting.objects.select_for_update().select_related("municipality").get(pk=meeting.pk)
    if not meeting.has_started:
        raise ValidationError(_("Oppmøte registreres når møtet har startet."))
    if meeting.status not in (Meeting.Status.PUBLISHED, Meeting.Status.HELD):
        raise ValidationError(_("Oppmøte kan bare registreres for møter som er holdt."))
    _apply(meeting, keys, "attended")
