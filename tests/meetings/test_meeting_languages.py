"""A meeting's information in other languages: the list of languages, the services and forms
staff write translations with, the page, the calendar filter, the .ics and the feed, and the
invitation to an association that runs its activities in the language."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from meetings import services
from meetings.domain import OSLO
from meetings.forms import MeetingTranslationForm
from meetings.models import Meeting, MeetingTranslation, TranslationLanguage
from organizations.models import Language
from tests.meetings.factories import MeetingFactory
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "لقاء حواري: مقرات للجمعيات"
ARABIC_DESCRIPTION = "ما هي المقرات التي تحتاجها الجمعيات؟"


@pytest.fixture
def arabic():
    return TranslationLanguage.objects.get(code="ar")


@pytest.fixture
def english():
    return TranslationLanguage.objects.get(code="en")


@pytest.fixture
def meeting(municipality):
    return MeetingFactory(municipality=municipality, title="Dialogmøte om lokaler", description="Ta med ideer.")


def _translate(meeting, language, **fields):
    values = {"title": ARABIC_TITLE, "description": ARABIC_DESCRIPTION, "practical_information": "", **fields}
    return services.meeting_translation_create(meeting=meeting, language=language, **values)


# The list of languages ----------------------------------------------------------------------------


def test_the_default_languages_are_there_with_arabic_right_to_left():
    languages = {language.code: language for language in TranslationLanguage.objects.all()}
    assert set(languages) == {"en", "pl", "uk", "ar", "so", "ti", "lt"}
    assert [code for code, language in languages.items() if language.is_rtl] == ["ar"]
    assert languages["ar"].native_name == "العربية" and languages["ar"].name == "Arabisk"
    assert all(language.active for language in languages.values())


@pytest.mark.parametrize("code", ["ar-EG", "pt-BR", "sr-Latn", "zh-Hant-TW", "fa"])
def test_a_bcp_47_code_passes(code):
    TranslationLanguage(code=code, native_name="x", name="x").full_clean()


@pytest.mark.parametrize("code", ["", "a", "arabisk språk", "ar_EG", "ar-", "-ar"])
def test_a_code_that_is_not_bcp_47_is_refused_in_norwegian(code):
    with pytest.raises(ValidationError) as caught:
        TranslationLanguage(code=code, native_name="x", name="x").full_clean()
    assert "code" in caught.value.message_dict


def test_a_code_already_on_the_list_is_refused_in_norwegian():
    with pytest.raises(ValidationError) as caught:
        TranslationLanguage(code="ar", native_name="العربية", name="Arabisk").full_clean()
    assert caught.value.message_dict["code"] == ["Språket med denne koden finnes allerede i lista."]


def test_a_language_in_use_by_a_translation_cannot_be_deleted(meeting, arabic):
    _translate(meeting, arabic)
    with pytest.raises(ProtectedError):
        arabic.delete()


def test_the_admin_lists_and_edits_the_languages(client, site_admin, arabic):
    client.force_login(site_admin)
    listing = client.get(reverse("admin:meetings_translationlanguage_changelist")).content.decode()
    assert "العربية" in listing and "Tigrinja" in listing
    response = client.get(reverse("admin:meetings_translationlanguage_change", args=[arabic.pk]))
    assert response.status_code == 200


# Services -----------------------------------------------------------------------------------------


def test_a_translation_is_saved_stripped_and_moves_the_meetings_last_change(meeting, arabic):
    before = meeting.updated_at
    translation = _translate(meeting, arabic, title=f"  {ARABIC_TITLE} ", practical_information="سطر\r\nسطر")
    assert translation.title == ARABIC_TITLE
    meeting.refresh_from_db()
    assert meeting.updated_at > before


def test_one_translation_per_meeting_and_language(meeting, arabic):
    _translate(meeting, arabic)
    with pytest.raises(ValidationError) as caught:
        _translate(meeting, arabic, title="Igjen")
    assert "Møtet har allerede informasjon på dette språket" in " ".join(caught.value.messages)
    assert MeetingTranslation.objects.count() == 1


def test_a_language_out_of_use_is_refused_for_a_new_translation_but_an_old_one_stays(meeting, arabic):
    translation = _translate(meeting, arabic)
    arabic.active = False
    arabic.save()
    services.meeting_translation_update(translation=translation, title="Ny tittel")
    translation.refresh_from_db()
    assert translation.title == "Ny tittel"
    other = MeetingFactory(municipality=meeting.municipality)
    with pytest.raises(ValidationError) as caught:
        _translate(other, arabic)
    assert "Språket er ikke i bruk lenger" in caught.value.message_dict["language"][0]


@pytest.mark.parametrize("status", [Meeting.Status.CANCELLED, Meeting.Status.HELD])
def test_a_cancelled_or_held_meeting_gets_no_new_or_changed_translation(municipality, arabic, status):
    meeting = MeetingFactory(municipality=municipality)
    translation = _translate(meeting, arabic)
    Meeting.objects.filter(pk=meeting.pk).update(status=status, cancel_reason="Sykdom")
    for attempt in (
        lambda: _translate(meeting, TranslationLanguage.objects.get(code="en"), title="Meeting"),
        lambda: services.meeting_translation_update(translation=translation, title="Endret"),
        lambda: services.meeting_translation_delete(translation=translation),
    ):
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert "Avlyste og gjennomførte møter kan ikke endres." in caught.value.messages
    translation.refresh_from_db()
    assert translation.title == ARABIC_TITLE


def test_deleting_a_translation(meeting, arabic):
    translation = _translate(meeting, arabic)
    services.meeting_translation_delete(translation=translation)
    assert not MeetingTranslation.objects.exists()


# Forms --------------------------------------------------------------------------------------------


def test_the_form_offers_only_languages_in_use_that_the_meeting_lacks(meeting, arabic, english):
    _translate(meeting, arabic)
    english.active = False
    english.save()
    offered = set(MeetingTranslationForm(meeting=meeting).fields["language"].queryset.values_list("code", flat=True))
    assert offered == {"pl", "uk", "so", "ti", "lt"}


def test_the_form_says_in_norwegian_what_is_missing_or_taken(meeting, arabic):
    form = MeetingTranslationForm(data={"language": "", "title": ""}, meeting=meeting)
    assert not form.is_valid()
    assert form.errors["language"] == ["Velg hvilket språk informasjonen er på."]
    assert form.errors["title"] == ["Skriv tittelen på dette språket."]
    _translate(meeting, arabic)
    taken = MeetingTranslationForm(data={"language": arabic.pk, "title": "X"}, meeting=meeting)
    assert not taken.is_valid()
    assert taken.errors["language"] == ["Velg et språk som er i bruk og som møtet ikke har informasjon på ennå."]


def test_the_edit_form_keeps_the_language_and_writes_in_its_direction(meeting, arabic):
    form = MeetingTranslationForm(instance=_translate(meeting, arabic), meeting=meeting)
    assert "language" not in form.fields
    attrs = form.fields["description"].widget.attrs
    assert attrs["dir"] == "rtl" and attrs["lang"] == "ar"
    assert MeetingTranslationForm(meeting=meeting).fields["title"].widget.attrs["dir"] == "auto"


# Staff pages --------------------------------------------------------------------------------------


def test_staff_add_change_and_delete_a_translation(client, staff_user, meeting, arabic):
    client.force_login(staff_user)
    listing = reverse("meetings:translations", args=[meeting.pk])
    assert "ikke informasjon på andre språk ennå" in client.get(listing).content.decode()
    response = client.post(
        reverse("meetings:translation_create", args=[meeting.pk]),
        {"language": arabic.pk, "title": ARABIC_TITLE, "description": "سطر\r\nسطر", "practical_information": ""},
    )
    assert response.status_code == 302 and response.url == listing
    translation = MeetingTranslation.objects.get(meeting=meeting, language=arabic)
    page = client.get(listing).content.decode()
    assert ARABIC_TITLE in page and 'dir="rtl"' in page
    edit = reverse("meetings:translation_edit", args=[meeting.pk, "ar"])
    assert client.get(edit).status_code == 200
    client.post(edit, {"title": "عنوان جديد", "description": "", "practical_information": "المكتبة"})
    translation.refresh_from_db()
    assert translation.title == "عنوان جديد" and translation.practical_information == "المكتبة"
    delete = reverse("meetings:translation_delete", args=[meeting.pk, "ar"])
    assert "عنوان جديد" in client.get(delete).content.decode()
    assert client.post(delete).url == listing
    assert not MeetingTranslation.objects.exists()


def test_a_bad_post_changes_nothing_and_says_why(client, staff_user, meeting, arabic):
    translation = _translate(meeting, arabic)
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:translation_edit", args=[meeting.pk, "ar"]), {"title": "  ", "description": "Ny"}
    )
    assert response.status_code == 200
    assert "Skriv tittelen på dette språket." in response.content.decode()
    translation.refresh_from_db()
    assert translation.title == ARABIC_TITLE and translation.description == ARABIC_DESCRIPTION


def test_an_unknown_language_page_answers_404(client, staff_user, meeting):
    client.force_login(staff_user)
    assert client.get(reverse("meetings:translation_edit", args=[meeting.pk, "ar"])).status_code == 404


def test_the_staff_section_of_the_meeting_page_links_the_translations(client, staff_user, meeting):
    client.force_login(staff_user)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("meetings:translations", args=[meeting.pk]) in page


# The meeting page ---------------------------------------------------------------------------------


def test_the_page_links_each_language_and_shows_the_chosen_one_right_to_left(client, meeting, arabic, english):
    _translate(meeting, arabic)
    _translate(meeting, english, title="Dialogue meeting about premises", description="Bring ideas.")
    url = reverse("meetings:detail", args=[meeting.pk])
    plain = client.get(url).content.decode()
    assert 'href="?sprak=ar" lang="ar" hreflang="ar" dir="rtl"' in plain
    assert 'href="?sprak=en" lang="en" hreflang="en" dir="ltr"' in plain
    assert ARABIC_DESCRIPTION not in plain
    page = client.get(url, {"sprak": "ar"}).content.decode()
    assert 'id="oversettelse" aria-labelledby="oversettelse-tittel" lang="ar" dir="rtl"' in page
    assert ARABIC_TITLE in page and ARABIC_DESCRIPTION in page
    assert 'lang="ar" hreflang="ar" dir="rtl" aria-current="page"' in page
    assert f'href="{url}" lang="nb" hreflang="nb">Norsk</a>' in page
    english_page = client.get(url, {"sprak": "EN"}).content.decode()
    assert 'lang="en" dir="ltr"' in english_page and "Bring ideas." in english_page


def test_an_unknown_language_shows_the_norwegian_page(client, meeting, arabic):
    _translate(meeting, arabic)
    page = client.get(reverse("meetings:detail", args=[meeting.pk]), {"sprak": "xx<script>"}).content.decode()
    assert ARABIC_DESCRIPTION not in page and "Dialogmøte om lokaler" in page and "xx<script>" not in page


def test_a_meeting_without_translations_shows_no_language_links(client, meeting):
    assert "Les informasjonen på" not in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()


def test_translated_text_is_escaped_on_the_page(client, meeting, arabic):
    _translate(meeting, arabic, title="<script>alert(1)</script>", description="<b>fet</b>\nlinje")
    page = client.get(reverse("meetings:detail", args=[meeting.pk]), {"sprak": "ar"}).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;fet&lt;/b&gt;<br>linje" in page


def test_the_page_query_count_does_not_grow_with_translations(client, meeting, arabic):
    url = reverse("meetings:detail", args=[meeting.pk])
    _translate(meeting, arabic)
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"sprak": "ar"})
    for language in TranslationLanguage.objects.exclude(code="ar"):
        _translate(meeting, language, title=f"Tittel {language.code}")
    with CaptureQueriesContext(connection) as all_of_them:
        client.get(url, {"sprak": "ar"})
    assert len(all_of_them) == len(one)


# The calendar filter ------------------------------------------------------------------------------


def test_the_calendar_filters_on_information_in_a_language(client, municipality, arabic, english):
    with_arabic = MeetingFactory(municipality=municipality, title="Med arabisk")
    _translate(with_arabic, arabic)
    _translate(with_arabic, english, title="With Arabic")
    only_english = MeetingFactory(municipality=municipality, title="Bare engelsk")
    _translate(only_english, english, title="Only English")
    MeetingFactory(municipality=municipality, title="Bare norsk")
    response = client.get(reverse("meetings:calendar"), {"information_language": "ar"})
    assert [meeting.title for meeting in response.context["page"]] == ["Med arabisk"]
    # The meeting found links to its page in the language asked for.
    assert f'href="{with_arabic.get_absolute_url()}?sprak=ar"' in response.content.decode()
    english_only = client.get(reverse("meetings:calendar"), {"information_language": "en"})
    assert {meeting.title for meeting in english_only.context["page"]} == {"Med arabisk", "Bare engelsk"}
    everything = client.get(reverse("meetings:calendar"))
    assert everything.context["page"].paginator.count == 3


def test_the_calendar_refuses_a_language_not_on_the_list_with_a_message(client, municipality):
    MeetingFactory(municipality=municipality)
    response = client.get(reverse("meetings:calendar"), {"information_language": "xx"})
    assert "information_language" in response.context["form"].errors


def test_the_calendar_filter_query_count_is_the_same_at_10_and_200(client, municipality, arabic):
    def add(count):
        for _ in range(count):
            _translate(MeetingFactory(municipality=municipality), arabic)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("meetings:calendar"), {"information_language": "ar"})
        assert response.status_code == 200
        return len(captured)

    add(10)
    at_10 = queries()
    add(190)
    assert queries() == at_10


# The .ics and the feed ----------------------------------------------------------------------------


def test_the_ics_carries_the_translation_asked_for_with_its_language(client, municipality, arabic):
    start = datetime.datetime(2030, 6, 12, 18, 0, tzinfo=OSLO)
    meeting = MeetingFactory(municipality=municipality, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    _translate(meeting, arabic, title='عنوان; مع "فاصلة", و\nسطر', practical_information="المكتبة، الطابق 2")
    url = reverse("meetings:ical", args=[meeting.pk])
    event = Calendar.from_ical(client.get(url, {"sprak": "ar"}).content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == 'عنوان; مع "فاصلة", و\nسطر'
    assert event["SUMMARY"].params["LANGUAGE"] == "ar"
    assert str(event["DESCRIPTION"]) == f"{ARABIC_DESCRIPTION}\n\nالمكتبة، الطابق 2"
    assert event["DESCRIPTION"].params["LANGUAGE"] == "ar"
    assert str(event["URL"]).endswith(f"{meeting.get_absolute_url()}?sprak=ar")
    assert str(event["UID"]) == f"{meeting.uid}@dialogportal"
    norwegian = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert str(norwegian["SUMMARY"]) == meeting.title and "LANGUAGE" not in norwegian["SUMMARY"].params


def test_the_feed_carries_each_meeting_in_the_language_where_it_has_it(client, municipality, arabic):
    translated = MeetingFactory(municipality=municipality, title="Oversatt")
    _translate(translated, arabic)
    MeetingFactory(municipality=municipality, title="Bare norsk")
    url = reverse("meetings:municipality_feed", args=[municipality.number])

    def summaries(**query):
        calendar = Calendar.from_ical(client.get(url, query).content)
        return sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))

    assert summaries() == ["Bare norsk", "Oversatt"]
    assert summaries(sprak="ar") == sorted(["Bare norsk", ARABIC_TITLE])
    # A changed translation reaches the cached feed at once.
    services.meeting_translation_update(translation=translated.translations.get(), title="عنوان جديد", description="")
    assert summaries(sprak="ar") == sorted(["Bare norsk", "عنوان جديد"])
    assert summaries(sprak="no-such") == ["Bare norsk", "Oversatt"]


def test_the_feed_query_count_does_not_grow_with_translations(client, municipality, arabic, english):
    url = reverse("meetings:municipality_feed", args=[municipality.number])

    def add(count):
        for _ in range(count):
            meeting = MeetingFactory(municipality=municipality)
            _translate(meeting, arabic)
            _translate(meeting, english, title="English")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(url, {"sprak": "ar"})
        return len(captured)

    add(5)
    at_5 = queries()
    add(45)
    assert queries() == at_5


# The invitation -----------------------------------------------------------------------------------


def _club(municipality, name, *languages):
    club = AssociationFactory(municipality=municipality, name=name)
    club.activity_languages.set(Language.objects.filter(slug__in=languages))
    return MembershipFactory(association=club, role="admin").user


def test_an_association_with_a_matching_activity_language_gets_the_translation(send_on_commit, municipality, arabic):
    draft = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT, title="Dialogmøte")
    _translate(draft, arabic, title="<b>لقاء</b>", practical_information="المكتبة\nالطابق 2")
    arabic_reader = _club(municipality, "Arabisk kulturforening", "ar", "nb")
    polish_reader = _club(municipality, "Polsk forening", "pl")
    send_on_commit(services.meeting_publish, meeting=draft)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    message = by_recipient[arabic_reader.email]
    html = message.alternatives[0][0]
    assert '<div lang="ar" dir="rtl">' in html
    assert "&lt;b&gt;لقاء&lt;/b&gt;" in html and "<b>لقاء</b>" not in html
    assert "المكتبة<br>الطابق 2" in html
    assert f"{draft.get_absolute_url()}?sprak=ar" in html
    assert "<b>لقاء</b>" in message.body and "المكتبة\nالطابق 2" in message.body
    other = by_recipient[polish_reader.email]
    assert "لقاء" not in other.body and 'lang="ar"' not in other.alternatives[0][0]


def test_a_copy_of_the_meeting_keeps_its_translations_in_languages_still_in_use(meeting, arabic, english):
    _translate(meeting, arabic)
    _translate(meeting, english, title="Dialogue meeting")
    english.active = False
    english.save()
    copy = services.meeting_duplicate(meeting=meeting)
    assert [(t.language.code, t.title) for t in copy.translations.all()] == [("ar", ARABIC_TITLE)]
    assert meeting.translations.count() == 2
