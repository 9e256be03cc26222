"""A meeting in klart og enkelt norsk carries a short plain summary, whichever way it is saved, and
shows it first on its page and in the invitation and the reminder."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import emails, services
from meetings.forms import MeetingForm
from meetings.languages import PLAIN_SUMMARY_MAX_LENGTH
from meetings.models import Meeting
from tests.meetings.factories import MeetingFactory, RegistrationFactory, next_weekday_evening
from tests.meetings.test_rule_everywhere import _form_data
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

REQUIRED = "Et møte på klart og enkelt norsk trenger en kort oppsummering"
SUMMARY = "For alle lag. Vi snakker om lokaler.\nOnsdag kl. 18 på biblioteket. Gratis. Meld deg på her."


@pytest.fixture
def evening():
    start = next_weekday_evening()
    return start, start.replace(hour=20)


def test_the_model_requires_the_summary(municipality, evening):
    meeting = Meeting(municipality=municipality, title="X", venue_name="Sted", starts_at=evening[0], ends_at=evening[1])
    meeting.plain_language = True
    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()
    assert REQUIRED in caught.value.message_dict["plain_summary"][0]
    meeting.plain_summary = "   "
    with pytest.raises(ValidationError):
        meeting.full_clean()
    meeting.plain_summary = SUMMARY
    meeting.full_clean()


def test_the_summary_is_short(municipality, evening):
    meeting = Meeting(
        municipality=municipality,
        title="X",
        venue_name="Sted",
        starts_at=evening[0],
        ends_at=evening[1],
        plain_language=True,
        plain_summary="a" * (PLAIN_SUMMARY_MAX_LENGTH + 1),
    )
    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()
    assert "plain_summary" in caught.value.message_dict


def test_the_service_refuses_and_saves_nothing(municipality, evening):
    with pytest.raises(ValidationError) as caught:
        services.meeting_create(
            municipality=municipality,
            title="Klart språk",
            venue_name="Sted",
            starts_at=evening[0],
            ends_at=evening[1],
            plain_language=True,
        )
    assert REQUIRED in caught.value.message_dict["plain_summary"][0]
    assert not Meeting.objects.exists()
    meeting = MeetingFactory(municipality=municipality)
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=meeting, plain_language=True)
    meeting.refresh_from_db()
    assert meeting.plain_language is False


def test_the_staff_form_says_it_in_norwegian_on_the_field(client, staff_user, municipality, evening):
    form = MeetingForm(data=_form_data(*evening, plain_language="on"), municipality=municipality)
    assert not form.is_valid()
    assert REQUIRED in form.errors["plain_summary"][0]
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:create", args=[municipality.number]), _form_data(*evening, plain_language="on")
    )
    assert response.status_code == 200 and REQUIRED in response.content.decode()
    assert not Meeting.objects.exists()
    client.post(
        reverse("meetings:create", args=[municipality.number]),
        _form_data(*evening, plain_language="on", plain_summary=SUMMARY.replace("\n", "\r\n")),
    )
    assert Meeting.objects.get().plain_language is True


def test_the_admin_refuses_it_too(client, site_admin, municipality, evening):
    client.force_login(site_admin)
    data = _form_data(*evening, municipality=municipality.pk, status="draft", plain_language="on")
    data["starts_at_0"], data["starts_at_1"] = evening[0].strftime("%Y-%m-%d"), evening[0].strftime("%H:%M")
    data["ends_at_0"], data["ends_at_1"] = evening[1].strftime("%Y-%m-%d"), evening[1].strftime("%H:%M")
    data.update({"agenda-TOTAL_FORMS": "0", "agenda-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 200 and REQUIRED in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_summary_comes_first_on_the_page_escaped(client, municipality):
    meeting = MeetingFactory(
        municipality=municipality,
        description="Om møtet i lengre tekst.",
        plain_language=True,
        plain_summary="Kort <b>fortalt</b>\nMeld deg på.",
    )
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Kort &lt;b&gt;fortalt&lt;/b&gt;<br>Meld deg på." in page
    main = page[page.index('id="mote-tittel"') :]
    assert main.index("Kort fortalt") < main.index("Status") < main.index("Om møtet i lengre tekst.")


def test_a_meeting_not_in_plain_language_shows_no_summary(client, municipality):
    meeting = MeetingFactory(municipality=municipality, plain_summary="Gammel tekst")
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Kort fortalt" not in page and "Gammel tekst" not in page


def test_the_invitation_and_the_reminder_start_with_the_summary(send_on_commit, municipality):
    club = AssociationFactory(municipality=municipality, name="Nabolagskoret")
    admin = MembershipFactory(association=club, role="admin").user
    draft = MeetingFactory(
        municipality=municipality,
        status=Meeting.Status.DRAFT,
        title="Dialogmøte",
        plain_language=True,
        plain_summary="For <alle> lag.\nGratis.",
    )
    send_on_commit(services.meeting_publish, meeting=draft)
    invitation = next(message for message in mail.outbox if message.to == [admin.email])
    html = invitation.alternatives[0][0]
    assert "For &lt;alle&gt; lag.<br>Gratis." in html
    assert html.index("Kort fortalt") < html.index("inviterer")
    assert invitation.body.index("For <alle> lag.\nGratis.") < invitation.body.index("inviterer")
    mail.outbox.clear()
    registration = RegistrationFactory(meeting=draft)
    send_on_commit(emails.reminder, registration=registration)
    reminder = mail.outbox[0]
    assert reminder.body.index("For <alle> lag.") < reminder.body.index("Velkommen til")
    assert "For &lt;alle&gt; lag.<br>Gratis." in reminder.alternatives[0][0]
