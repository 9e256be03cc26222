"""Every page of the portal read in Nynorsk has no Bokmål in it.

The pages are those of the URL walk (test_hostile_input): every URL pattern with its plausible
values, fetched and posted empty (which shows the forms' error messages, or the message of what
was done and the page it leads to) as anonymous, as a volunteer who runs an association and leads
a working group, and as municipal staff, with the language switch set to Nynorsk. What the people
of the walk wrote is made neutral first (it is theirs, in whatever language they write), and the
municipality writes Nynorsk, so the letter's standard texts are Nynorsk too. Parts of a page
marked with another `lang` (the language switch naming Bokmål and English) and code (names of
API parameters) are left out. Pages a role may not see (403, 404) are Django's own and not read.

The tell-tale words are forms Bokmål has and Nynorsk does not, whole words in any case; a word
both written standards share ("møter", "de", "lenke", "nå") is no evidence and is not listed.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from correspondence import services as correspondence_services
from correspondence.models import Letter, WorkingGroup
from meetings.models import Meeting
from notifications import registry
from organizations.models import Association, Municipality
from tests.portal.test_hostile_input import (  # noqa: F401 (world is the walk's fixture, used below)
    ALL_PATTERNS,
    NUMBER,
    PK,
    _plausible,
    world,
)

pytestmark = pytest.mark.django_db

BOKMÅL_ONLY = [
    "ikke", "hvordan", "jeg", "hva", "hvis", "fra", "hvor", "hvorfor", "hvem", "hvilken", "hvilke",
    "noen", "noe", "mye", "bare", "kun", "velg", "velge", "valgt", "valgte", "ennå", "allerede",
    "fortsatt", "ble", "uten", "sammen", "kommer", "hjem", "mer", "være", "gjøre", "mens", "dere",
    "deres", "dem", "hun", "disse", "samme", "annen", "egen", "eget", "egne", "flere", "tidligere",
    "senere", "hilsen", "velkommen", "vennligst", "logget", "glemt", "henvendelse", "henvendelser",
    "forening", "foreningen", "foreninger", "slettet", "lagret", "endret", "sendes", "vises",
    "gjelder", "trenger", "ønsker", "bruker", "brukere", "adressen", "e-postadressen", "siden",
    "listen", "innstillinger", "opplysninger", "påmeldinger", "invitasjoner", "utfordringer",
    "møteplasser", "arrangementer", "lenken", "beskrivelse", "begrunnelse", "påminnelse",
]  # fmt: skip
TELL_TALE = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, BOKMÅL_ONLY)) + r")(?![\w-])", re.IGNORECASE)
NEUTRAL = "Tekst A"
ROOT = Path(__file__).resolve().parents[2]
TRANSLATED_BLOCK = re.compile(r"{%\s*(blocktranslate|blocktrans|comment)\b.*?{%\s*end\1\s*%}", re.S)
TEMPLATE_CODE = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
# Written in the letter's målform, Bokmål or Nynorsk, whatever language its sender reads.
IN_THE_LETTERS_MÅLFORM = {
    "correspondence/templates/correspondence/emails/letter.txt",
    "correspondence/templates/correspondence/emails/letter.html",
}


class ReadableText(HTMLParser):
    """The text a reader meets (and the labels a screen reader speaks), leaving out what is
    marked as another language and what is no text (scripts, styles)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    SPOKEN = ("aria-label", "title", "placeholder", "alt")
    # Code is names, not words (the API's parameter "fra", say).
    NO_TEXT = ("script", "style", "code")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, left out)
        self.parts = []

    @property
    def left_out(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        language = attrs.get("lang")
        left_out = self.left_out or tag in self.NO_TEXT or (language is not None and language != "nn")
        if not left_out:
            self.parts += [attrs[name] for name in self.SPOKEN if attrs.get(name)]
        if tag not in self.VOID:
            self.stack.append((tag, left_out))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self.left_out:
            self.parts.append(data)


def readable_text(html: str) -> str:
    parser = ReadableText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def bokmål_in(html: str) -> list[str]:
    """Each tell-tale word found, in its context."""
    text = readable_text(html)
    return [text[max(match.start() - 60, 0) : match.end() + 60] for match in TELL_TALE.finditer(text)]


@pytest.fixture
def portal_email_kinds_only():
    """The email kinds other tests register (tests/notifications/kinds.py) are test data with
    Bokmål descriptions of their own, which the notification settings page would list."""
    test_kinds = [kind for kind in registry.all_kinds() if kind.key.startswith("tests.")]
    for kind in test_kinds:
        registry.unregister(kind.key)
    yield
    for kind in test_kinds:
        registry.register(kind)


@pytest.fixture
def nynorsk_world(world, volunteer_of_the_walk, portal_email_kinds_only):  # noqa: F811
    """The walk's world with a Nynorsk municipality and neutral texts of its people."""
    Municipality.objects.filter(number=NUMBER).update(written_standard="nn")
    Association.objects.filter(municipality__number=NUMBER).update(description=NEUTRAL)
    Meeting.objects.filter(municipality__number=NUMBER).update(description=NEUTRAL, directions=NEUTRAL)
    WorkingGroup.objects.filter(municipality__number=NUMBER).update(theme=NEUTRAL, mandate=NEUTRAL)
    for letter in Letter.objects.filter(group__municipality__number=NUMBER):
        correspondence_services.letter_set_language(letter=letter, user=volunteer_of_the_walk, language="nn")
    return world


@pytest.fixture
def volunteer_of_the_walk(world):  # noqa: F811
    return world["volunteer"]


def test_the_tell_tale_words_find_bokmål_and_leave_nynorsk_alone():
    def words(html):
        return [match.group() for match in TELL_TALE.finditer(readable_text(html))]

    assert words("<p>Du er ikke påmeldt. Hvis du vil, kan du velge et møte.</p>") == ["ikke", "Hvis", "velge"]
    assert words('<p><button aria-label="Hva nå">Kva no?</button> Ikkje frå meg, berre noko.</p>') == ["Hva"]
    assert (
        words('<p>Ikkje <span lang="nb">ikke <b>fra</b></span> frå <code>fra</code></p><script>var ikke;</script>')
        == []
    )
    assert words("<p>Ikkje-medlem, fra-koblet e-postadressa</p>") == []


# The admin site is Django's own, in Django's own Nynorsk: it is not walked.
PORTAL_PATTERNS = [walked for walked in ALL_PATTERNS if not walked.name.startswith("admin:")]


@pytest.mark.parametrize("walked", PORTAL_PATTERNS, ids=[walked.name for walked in PORTAL_PATTERNS])
def test_every_page_in_nynorsk_has_no_bokmål(walked, nynorsk_world):
    url = walked.url({name: _plausible((name, converter)) for name, converter in walked.parts})
    found = []
    for role, user in nynorsk_world.items():
        client = Client(raise_request_exception=False)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
        if user is not None:
            client.force_login(user)
        for method in ("get", "post"):
            response = getattr(client, method)(url, follow=True)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            page = response.content.decode()
            assert '<html lang="nn">' in page, f"[{role}] {method.upper()} {url}"
            found += [f"[{role}] {method.upper()} {url}: …{words}…" for words in bokmål_in(page)]
    assert not found, "\n".join(dict.fromkeys(found))


def test_no_template_holds_bokmål_outside_its_translations():
    """Text written straight into a template, not through {% translate %}, would stay Bokmål in
    every language: on pages the walk does not reach, and in emails."""
    found, read = [], 0
    for path in sorted(ROOT.glob("*/templates/**/*.*")) + sorted((ROOT / "templates").glob("**/*.*")):
        name = path.relative_to(ROOT).as_posix()
        if path.suffix not in (".html", ".txt") or name.startswith(("tests/", "node_modules/")):
            continue
        if name in IN_THE_LETTERS_MÅLFORM:
            continue
        read += 1
        text = readable_text(TEMPLATE_CODE.sub(" ", TRANSLATED_BLOCK.sub(" ", path.read_text(encoding="utf-8"))))
        found += [f"{name}: {match.group()}" for match in TELL_TALE.finditer(text)]
    assert read > 100, "the templates were not found"
    assert not found, "\n".join(found)
