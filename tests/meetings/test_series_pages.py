"""The staff pages of fixed meeting places: every date shown before saving, decisions on the dates
the rule refuses, clear errors with nothing saved, the series on its meetings' pages, and edits of
"this one" or "this and following"."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import series as series_services
from meetings.domain import OSLO
from meetings.models import Meeting, MeetingSeries
from tests.meetings.factories import RegistrationFactory
from tests.meetings.series_helpers import december_series, december_start
from tests.meetings.test_rule_everywhere import _form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _series_data(**extra):
    start = december_start()
    data = _form_data(
        start,
        start + datetime.timedelta(hours=2),
        title="Frivillighetskafé",
        description="Første linje\r\nAndre linje med «anførsel» og Ås' kafé",
    )
    data.update({"frequency": "weekly", "count": "4", "steg": "se", **extra})
    return data


def _create_url(municipality):
    return reverse("meetings:series_create", args=[municipality.number])


def test_the_first_step_lists_every_date_and_saves_nothing(staff_client, municipality):
    response = staff_client.post(_create_url(municipality), _series_data())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Datoene i serien: 4 møter" in page
    assert "2 datoer trenger et valg før serien kan lagres." in page
    assert "julaften" in page and "nyttårsaften" in page
    assert "Hva skal skje med møtet" in page and "Hopp over denne datoen" in page
    assert "Lagre serien som utkast" in page
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


def _decided(staff_client, municipality, **decisions):
    first = staff_client.post(_create_url(municipality), _series_data())
    data = _series_data(steg="lagre", datoer=first.context["fingerprint"])
    year = december_start().year
    data[f"dato-{year}1224-action"] = "skip"
    data[f"dato-{year}1231-action"] = "move"
    data[f"dato-{year}1231-starts_at"] = f"{year}-12-30T18:00"
    data[f"dato-{year}1231-ends_at"] = f"{year}-12-30T20:00"
    data.update(decisions)
    return staff_client.post(_create_url(municipality), data)


def test_saving_with_decisions_creates_the_series_as_drafts(staff_client, municipality, staff_user):
    response = _decided(staff_client, municipality)
    series = MeetingSeries.objects.get()
    assert response.url == reverse("meetings:series", args=[series.pk])
    meetings = list(series.meetings.order_by("series_slot"))
    assert len(meetings) == 3 and meetings[-1].is_moved
    assert {m.description for m in meetings} == {"Første linje\r\nAndre linje med «anførsel» og Ås' kafé"}
    assert all(m.created_by == staff_user and m.status == Meeting.Status.DRAFT for m in meetings)
    page = staff_client.get(response.url).content.decode()
    assert "Fast møteplass: hver" in page and "kl. 18.00–20.00" in page
    assert "Flyttet fra" in page and "Datoer som er hoppet over" in page
    assert "Publiser alle utkast i serien" in page


def test_a_move_the_rule_refuses_is_said_on_its_field_and_nothing_is_saved(staff_client, municipality):
    year = december_start().year
    response = _decided(
        staff_client,
        municipality,
        **{f"dato-{year}1231-starts_at": f"{year}-12-31T19:00", f"dato-{year}1231-ends_at": f"{year}-12-31T20:00"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "nyttårsaften" in page and "is-invalid" in page
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


def test_a_move_without_a_time_is_refused(staff_client, municipality):
    year = december_start().year
    response = _decided(staff_client, municipality, **{f"dato-{year}1231-starts_at": ""})
    assert "Oppgi når det flyttede møtet starter og slutter." in response.content.decode()
    assert not MeetingSeries.objects.exists()


def test_a_save_after_the_pattern_changed_shows_the_dates_again(staff_client, municipality):
    first = staff_client.post(_create_url(municipality), _series_data())
    data = _series_data(steg="lagre", datoer=first.context["fingerprint"], count="6")
    response = staff_client.post(_create_url(municipality), data)
    assert "Datoene er endret siden du så dem" in response.content.decode()
    assert "Datoene i serien: 6 møter" in response.content.decode()
    assert not MeetingSeries.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"count": ""}, "Velg enten en siste dato eller et antall ganger"),
        ({"count": "1"}, "Verdien må være større enn eller lik 2."),
        ({"frequency": "monthly"}, "Velg hvilken uke i måneden møtet holdes."),
        ({"frequency": "hver dag"}, "Velg et gyldig valg"),
        ({"starts_at": "i morgen"}, "Oppgi gyldig dato og tidspunkt"),
    ],
)
def test_bad_input_is_said_in_norwegian_and_nothing_is_saved(staff_client, municipality, changes, message):
    response = staff_client.post(_create_url(municipality), _series_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Lagre serien som utkast" not in response.content.decode()
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


def test_the_meeting_page_names_its_series(client, municipality, send_on_commit):
    series = december_series(municipality)
    send_on_commit(series_services.series_publish, series=series)
    first, _second, moved = series.meetings.order_by("series_slot")
    page = client.get(reverse("meetings:detail", args=[first.pk])).content.decode()
    assert "Fast møteplass: hver" in page
    assert reverse("meetings:series", args=[series.pk]) in page
    page = client.get(reverse("meetings:detail", args=[moved.pk])).content.decode()
    assert "Dette møtet er flyttet fra" in page and "31. desember" in page


def test_the_public_series_page_shows_only_public_meetings(client, municipality, send_on_commit):
    series = december_series(municipality)
    first = series.meetings.order_by("series_slot").first()
    send_on_commit(series_services.series_publish, series=series)
    draft = Meeting.objects.create(
        municipality=municipality,
        title="Ekstra utkast",
        venue_name="Sted",
        starts_at=first.starts_at + datetime.timedelta(days=1),
        ends_at=first.ends_at + datetime.timedelta(days=1),
        series=series,
        series_slot=first.starts_at + datetime.timedelta(days=1),
    )
    page = client.get(reverse("meetings:series", args=[series.pk])).content.decode()
    assert first.get_absolute_url() in page
    assert draft.title not in page and "Datoer som er hoppet over" not in page


def test_the_series_page_has_constant_queries(staff_client, municipality):
    def count_queries():
        series = MeetingSeries.objects.latest("pk")
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse("meetings:series", args=[series.pk])).status_code == 200
        return len(queries)

    december_series(municipality)
    few = count_queries()
    start = december_start().replace(year=december_start().year + 1, month=2, day=2)
    series_services.series_create(
        municipality=municipality,
        frequency="weekly",
        count=12,
        decisions={},
        title="Lang serie",
        venue_name="Biblioteket",
        starts_at=start.replace(hour=18),
        ends_at=start.replace(hour=20),
    )
    assert count_queries() == few


def _edit_data(meeting, scope, **changes):
    start, end = meeting.starts_at.astimezone(OSLO), meeting.ends_at.astimezone(OSLO)
    data = _form_data(start, end, **{"title": meeting.title, **changes})
    data["serie-scope"] = scope
    return data


def test_editing_offers_this_one_or_this_and_following(staff_client, municipality):
    series = december_series(municipality)
    first, second, third = series.meetings.order_by("series_slot")
    page = staff_client.get(reverse("meetings:edit", args=[second.pk])).content.decode()
    assert "Bare dette møtet" in page and "Dette og alle senere møter i serien" in page

    staff_client.post(reverse("meetings:edit", args=[second.pk]), _edit_data(second, "this", title="Bare denne"))
    assert [m.title for m in series.meetings.order_by("series_slot")] == [
        "Frivillighetskafé",
        "Bare denne",
        "Frivillighetskafé",
    ]
    second.refresh_from_db()
    response = staff_client.post(
        reverse("meetings:edit", args=[second.pk]), _edit_data(second, "following", title="Kafé på huset")
    )
    assert response.status_code == 302
    assert [m.title for m in series.meetings.order_by("series_slot")] == [
        "Frivillighetskafé",
        "Kafé på huset",
        "Kafé på huset",
    ]


def test_following_with_a_new_time_tells_staff_which_registered_meetings_kept_theirs(
    staff_client, municipality, send_on_commit
):
    series = december_series(municipality)
    send_on_commit(series_services.series_publish, series=series)
    first, second, third = series.meetings.order_by("series_slot")
    RegistrationFactory(meeting=second)
    start = first.starts_at.astimezone(OSLO).replace(hour=19)
    data = _form_data(start, start + datetime.timedelta(hours=2), title=first.title)
    data["serie-scope"] = "following"
    response = staff_client.post(reverse("meetings:edit", args=[first.pk]), data, follow=True)
    assert "har påmeldte og beholder klokkeslettet sitt" in response.content.decode()
    second.refresh_from_db()
    assert second.starts_at.astimezone(OSLO).hour == 18


def test_a_bad_scope_saves_nothing(staff_client, municipality):
    series = december_series(municipality)
    first = series.meetings.order_by("series_slot").first()
    response = staff_client.post(reverse("meetings:edit", args=[first.pk]), _edit_data(first, "alle", title="Nytt"))
    assert response.status_code == 200 and "Velg et gyldig valg" in response.content.decode()
    first.refresh_from_db()
    assert first.title == "Frivillighetskafé"
