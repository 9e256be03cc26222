"""Nynorsk beside Bokmål and English: the switch, the målform of a municipality's pages, emails,
letters and the library texts the portal shows."""

import shutil
import subprocess
from pathlib import Path

import allauth
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

from correspondence import rendering
from correspondence import services as correspondence_services
from dialog_portal.languages import WRITTEN_STANDARD_COOKIE
from meetings import services as meeting_services
from tests.accounts.factories import UserFactory
from tests.correspondence.factories import GroupMembershipFactory, WorkingGroupFactory
from tests.meetings.factories import MeetingFactory
from tests.organizations.factories import AssociationFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LIBRARY_CATALOGUE = ROOT / "locale_libraries" / "nn" / "LC_MESSAGES" / "django.po"
ALLAUTH = Path(allauth.__file__).parent
# allauth features the portal leaves switched off: sign-in by code, phone numbers, passkeys,
# closed sign-up.
SWITCHED_OFF = ("code", "phone", "passkey", "signup_closed")


@pytest.fixture
def send_on_commit(django_capture_on_commit_callbacks):
    """Run the after-commit hand-over of emails, as a real commit would."""

    def run(callable_, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_(*args, **kwargs)

    return run


@pytest.fixture
def volda(db):
    return MunicipalityFactory(number="1577", name="Volda", written_standard="nn")


@pytest.fixture
def bergen(db):
    return MunicipalityFactory(number="4601", name="Bergen", written_standard="nb")


def _lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


# The switch --------------------------------------------------------------------------------------


def test_the_switch_offers_the_three_languages_each_named_in_itself(client):
    page = client.get(reverse("home")).content.decode()
    assert '<span class="btn btn-secondary btn-sm" aria-current="true" lang="nb">Norsk bokmål</span>' in page
    assert 'value="nn" class="btn btn-outline-secondary btn-sm" lang="nn">Norsk nynorsk</button>' in page
    assert 'value="en" class="btn btn-outline-secondary btn-sm" lang="en">English</button>' in page

    client.post(reverse("set_language"), {"language": "nn", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="nn">' in page
    assert "Dialog mellom kommunen og lag og foreiningar" in page
    assert 'aria-current="true" lang="nn">Norsk nynorsk</span>' in page
    assert 'lang="nb">Norsk bokmål</button>' in page


def test_the_email_language_can_be_nynorsk(client):
    user = UserFactory(preferred_language="nb")
    client.force_login(user)
    client.post(reverse("accounts:profile"), {"full_name": user.full_name, "phone": "", "preferred_language": "nn"})
    user.refresh_from_db()
    assert user.preferred_language == "nn"
    client.cookies["django_language"] = "nn"
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "E-post frå portalen blir sendt på norsk nynorsk, same kva språk du les sidene på." in page


# A municipality's pages ----------------------------------------------------------------------------


def test_a_visitor_without_a_choice_reads_a_municipalitys_pages_in_its_målform(client, volda, bergen):
    volda_meeting = MeetingFactory(municipality=volda)
    association = AssociationFactory(municipality=volda)
    assert _lang(client.get(reverse("meetings:calendar"))) == "nb"
    assert _lang(client.get(reverse("meetings:calendar"), {"municipality": volda.number})) == "nn"
    assert _lang(client.get(reverse("organizations:directory"), {"kommune": volda.number})) == "nn"
    assert _lang(client.get(reverse("organizations:association_detail", args=[association.slug]))) == "nn"
    assert _lang(client.get(reverse("correspondence:published", args=[volda.number]))) == "nn"
    response = client.get(volda_meeting.get_absolute_url())
    assert _lang(response) == "nn"
    assert response["Content-Language"] == "nn"
    assert "Meld deg på" in response.content.decode()
    # The pages that follow keep it.
    assert _lang(client.get(reverse("meetings:calendar"))) == "nn"

    # Bergen writes Bokmål: its pages set the målform back.
    response = client.get(MeetingFactory(municipality=bergen).get_absolute_url())
    assert _lang(response) == "nb"
    assert client.cookies[WRITTEN_STANDARD_COOKIE].value == "nb"
    assert _lang(client.get(reverse("home"))) == "nb"


def test_a_neutral_municipality_reads_bokmål(client):
    neutral = MunicipalityFactory(written_standard="neutral")
    assert _lang(client.get(MeetingFactory(municipality=neutral).get_absolute_url())) == "nb"


def test_signing_up_from_a_nynorsk_meeting_goes_on_in_nynorsk(client, volda, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(municipality=volda)
    client.get(meeting.get_absolute_url())
    assert client.cookies[WRITTEN_STANDARD_COOKIE].value == "nn"

    signup = client.get(reverse("account_signup"), {"next": reverse("meetings:register", args=[meeting.pk])})
    assert _lang(signup) == "nn"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "full_name": "Nils Nynorsk",
                "email": "nils@example.org",
                "password1": "eit-godt-passord-123",
                "password2": "eit-godt-passord-123",
            },
        )
    [confirmation] = mail.outbox
    assert "Stadfest e-postadressa di" in confirmation.subject
    assert "ikkje" in confirmation.body
    assert _lang(client.get(reverse("account_login"))) == "nn"


def test_a_chosen_language_wins_over_the_målform(client, volda):
    meeting = MeetingFactory(municipality=volda)
    client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    assert _lang(client.get(meeting.get_absolute_url())) == "nb"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert _lang(client.get(meeting.get_absolute_url())) == "en"
    assert WRITTEN_STANDARD_COOKIE not in client.cookies


def test_a_signed_in_persons_stored_language_wins_over_the_målform(client, volda):
    meeting = MeetingFactory(municipality=volda)
    client.force_login(UserFactory(preferred_language="nb"))
    assert _lang(client.get(meeting.get_absolute_url())) == "nb"
    assert _lang(client.get(reverse("meetings:register", args=[meeting.pk]))) == "nb"

    client.force_login(UserFactory(preferred_language="nn"))
    bergen_meeting = MeetingFactory(municipality=MunicipalityFactory(written_standard="nb"))
    assert _lang(client.get(bergen_meeting.get_absolute_url())) == "nn"


def test_a_browser_that_asks_for_english_keeps_english(client, volda):
    meeting = MeetingFactory(municipality=volda)
    assert _lang(client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")) == "en"
    assert _lang(client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="nb-NO,nb;q=0.9,en;q=0.5")) == "nn"


# Emails and letters -----------------------------------------------------------------------------------


def test_an_email_to_someone_who_chose_nynorsk_is_in_nynorsk(send_on_commit, bergen):
    reader = UserFactory(preferred_language="nn")
    meeting = MeetingFactory(municipality=bergen, title="Kveldsmøte")
    with translation.override("nb"):
        send_on_commit(meeting_services.registration_create, meeting=meeting, user=reader)
    [message] = mail.outbox
    assert "Du er påmeld: Kveldsmøte" in message.subject
    assert "Du er påmeld til «Kveldsmøte». Tal på deltakarar: 1." in message.body
    assert "ikke" not in message.body.lower().split()
    html = message.alternatives[0][0]
    assert '<html lang="nn">' in html


def test_a_nynorsk_letter_keeps_its_labels_whatever_the_page_language(volda):
    group = WorkingGroupFactory(municipality=volda, theme="Tema", mandate="Mandat")
    leader = GroupMembershipFactory(group=group, is_leader=True).user
    letter = correspondence_services.letter_create(group=group, user=leader)
    assert letter.language == "nn"
    with translation.override("en"):
        html = rendering.render_html(letter)
    assert "Kva ønskjer vi?" in html
    assert "Med venleg helsing" in html
    assert "Hva ønsker vi?" not in html


# The library texts ------------------------------------------------------------------------------------


def test_allauths_texts_come_out_in_nynorsk():
    with translation.override("nn"):
        assert gettext("Remember Me") == "Hugs meg"
        assert gettext("You must type the same password each time.") == "Du må skrive det same passordet begge gongene."
        assert pgettext("field label", "Login") == "Logg inn"
        # Django's own texts have their Nynorsk from Django.
        assert gettext("This field is required.") == "Feltet er påkravd."
    with translation.override("nb"):
        assert gettext("Remember Me") == "Husk meg"


def test_the_library_catalogue_has_nynorsk_for_every_allauth_text_the_portal_can_show(tmp_path):
    """allauth's account forms, adapter messages and those of its account templates the portal does
    not override (templates/account/, templates/allauth/) and that belong to features it uses.

    The texts are taken from allauth's Bokmål catalogue, which names where each comes from; after
    an upgrade of allauth, a new or changed text shows up here.
    """
    for program in ("msggrep", "msgcmp"):
        if shutil.which(program) is None:
            pytest.fail(f"GNU gettext ({program}) is needed for the translations: apt-get install gettext")
    overridden = {path.relative_to(ROOT).as_posix() for path in (ROOT / "templates").rglob("*") if path.is_file()}
    shown = ["account/*.py"]
    for path in sorted((ALLAUTH / "templates").glob("*/**/*")):
        name = path.relative_to(ALLAUTH).as_posix()
        if (
            path.is_file()
            and name.startswith(("templates/account/", "templates/allauth/"))
            and not name.startswith("templates/account/email/")  # the portal sends its own emails
            and name not in overridden
            and not any(feature in name for feature in SWITCHED_OFF)
        ):
            shown.append(name)
    selection = tmp_path / "allauth-shown.po"
    subprocess.run(
        ["msggrep", *[f"--location={name}" for name in shown], "-o", str(selection)]
        + [str(ALLAUTH / "locale" / "nb" / "LC_MESSAGES" / "django.po")],
        check=True,
    )
    assert "msgid" in selection.read_text(encoding="utf-8")
    result = subprocess.run(
        ["msgcmp", str(LIBRARY_CATALOGUE), str(selection)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
