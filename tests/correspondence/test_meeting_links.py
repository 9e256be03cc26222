"""A working group's founding discussion meeting and a letter's dialogue meeting, from the calendar."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from correspondence import services, texts
from correspondence.models import Letter, LetterEvent
from correspondence.norwegian import format_weekday_date
from meetings.domain import OSLO
from tests.correspondence.factories import WorkingGroupFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def founding(municipality):
    starts = datetime.datetime(2026, 10, 14, 18, 30, tzinfo=OSLO)
    return MeetingFactory(
        municipality=municipality,
        title="Diskusjonsmøte om frivillighet",
        venue_name="Rådhuset",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )


def test_background_takes_date_time_and_place_from_the_founding_meeting(municipality, founding):
    group = WorkingGroupFactory(
        municipality=municipality, founding_meeting=founding, meeting_date=None, meeting_time=None, meeting_place=""
    )
    group.full_clean()

    background = texts.background(group, "nb")

    assert format_weekday_date(datetime.date(2026, 10, 14), "nb").capitalize() in background
    assert "kl. 18.30" in background
    assert "på Rådhuset" in background


def test_the_groups_own_fields_win_over_the_founding_meeting(municipality, founding):
    group = WorkingGroupFactory(municipality=municipality, founding_meeting=founding)

    background = texts.background(group, "nb")

    assert "kl. 18.30" in background  # the factory's time
    assert "3. november 2026" in background
    assert "på Biblioteket" in background


def test_without_a_founding_meeting_the_date_and_time_are_required(municipality):
    group = WorkingGroupFactory.build(municipality=municipality, meeting_date=None, meeting_time=None)
    with pytest.raises(ValidationError) as error:
        group.full_clean()
    assert "meeting_date" in error.value.message_dict


def test_founding_meeting_must_be_in_the_groups_municipality(group, group_leader, other_municipality):
    foreign = MeetingFactory(municipality=other_municipality)
    with pytest.raises(ValidationError) as error:
        services.group_update(group=group, user=group_leader, founding_meeting=foreign)
    assert "founding_meeting" in error.value.message_dict
    group.refresh_from_db()
    assert group.founding_meeting is None


def test_group_page_links_the_founding_meeting(client, group, group_leader, founding):
    services.group_update(group=group, user=group_leader, founding_meeting=founding)
    client.force_login(group_leader)
    page = client.get(reverse("correspondence:group_detail", args=[group.pk])).content.decode()
    assert founding.get_absolute_url() in page


def test_edit_form_offers_only_the_municipalitys_meetings(client, group, group_leader, founding, other_municipality):
    MeetingFactory(municipality=other_municipality, title="Møte i Oslo")
    client.force_login(group_leader)
    page = client.get(reverse("correspondence:group_edit", args=[group.pk])).content.decode()
    assert "Diskusjonsmøte om frivillighet" in page
    assert "Møte i Oslo" not in page


def test_deleting_the_founding_meeting_keeps_its_date_in_the_group(municipality, founding):
    group = WorkingGroupFactory(
        municipality=municipality, founding_meeting=founding, meeting_date=None, meeting_time=None, meeting_place=""
    )
    founding.delete()
    group.refresh_from_db()
    assert group.founding_meeting is None
    assert (group.meeting_date, group.meeting_time, group.meeting_place) == (
        datetime.date(2026, 10, 14),
        datetime.time(18, 30),
        "Rådhuset",
    )


def test_a_member_links_the_dialogue_meeting_and_it_is_on_the_timeline(client, sent, group_leader, municipality):
    meeting = MeetingFactory(municipality=municipality, title="Dialogmøte med <b>ordføreren</b>")
    client.force_login(group_leader)

    response = client.post(reverse("correspondence:letter_dialogue_meeting", args=[sent.pk]), {"meeting": meeting.pk})

    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.dialogue_meeting == meeting
    assert sent.status == Letter.Status.MEETING_AGREED
    assert sent.events.filter(kind=LetterEvent.Kind.MEETING).exists()
    page = client.get(reverse("correspondence:letter_detail", args=[sent.pk])).content.decode()
    assert meeting.get_absolute_url() in page
    assert "Dialogmøte med &lt;b&gt;ordføreren&lt;/b&gt;" in page


def test_dialogue_meeting_must_be_in_the_municipality(client, sent, group_leader, other_municipality):
    foreign = MeetingFactory(municipality=other_municipality)
    with pytest.raises(ValidationError):
        services.letter_link_dialogue_meeting(letter=sent, user=group_leader, meeting=foreign)
    client.force_login(group_leader)
    client.post(reverse("correspondence:letter_dialogue_meeting", args=[sent.pk]), {"meeting": foreign.pk})
    sent.refresh_from_db()
    assert sent.dialogue_meeting is None


def test_linking_does_not_move_a_closed_letter_back(sent, group_leader, municipality):
    services.letter_set_status(letter=sent, user=group_leader, status=Letter.Status.CLOSED)
    letter = services.letter_link_dialogue_meeting(
        letter=sent, user=group_leader, meeting=MeetingFactory(municipality=municipality)
    )
    assert letter.status == Letter.Status.CLOSED


@pytest.mark.parametrize("role", ["anonymous", "volunteer", "staff"])
def test_only_members_link_a_dialogue_meeting(client, sent, municipality, role, volunteer, staff_user):
    meeting = MeetingFactory(municipality=municipality)
    user = {"anonymous": None, "volunteer": volunteer, "staff": staff_user}[role]
    if user:
        client.force_login(user)
    response = client.post(reverse("correspondence:letter_dialogue_meeting", args=[sent.pk]), {"meeting": meeting.pk})
    if user is None:
        assert "/konto/login/" in response.url
    else:
        # Staff of the municipality see the sent letter but do not follow it up; to others it is not there.
        assert response.status_code == (403 if role == "staff" else 404)
    sent.refresh_from_db()
    assert sent.dialogue_meeting is None


def test_a_draft_gets_no_dialogue_meeting(letter, group_leader, municipality):
    with pytest.raises(ValidationError):
        services.letter_link_dialogue_meeting(
            letter=letter, user=group_leader, meeting=MeetingFactory(municipality=municipality)
        )
