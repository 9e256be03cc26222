"""A meeting's Arabic information reads right to left in Chromium, and the page stays accessible."""

import pytest

from meetings import services
from meetings.models import TranslationLanguage
from tests.e2e.conftest import axe_violations, describe
from tests.e2e.test_meetings_browser import log_in
from tests.meetings.factories import MeetingFactory
from tests.organizations.factories import MunicipalityFactory, MunicipalStaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARABIC_TITLE = "لقاء حواري: مقرات للجمعيات والنوادي"


def _language(code, native_name, name, direction):
    # Transactional tests empty the tables between tests, the migration's default list with them.
    language, _ = TranslationLanguage.objects.get_or_create(
        code=code, defaults={"native_name": native_name, "name": name, "direction": direction}
    )
    return language


@pytest.fixture
def translated_meeting():
    meeting = MeetingFactory(
        municipality=MunicipalityFactory(number="4601", name="Bergen"),
        title="Dialogmøte om lokaler",
        description="Hvilke lokaler trenger lagene?",
        plain_language=True,
        plain_summary="For lag og foreninger. Onsdag kl. 18 på biblioteket. Gratis. Meld deg på her.",
    )
    services.meeting_translation_create(
        meeting=meeting,
        language=_language("ar", "العربية", "Arabisk", "rtl"),
        title=ARABIC_TITLE,
        description="ما هي المقرات التي تحتاجها الجمعيات؟",
        practical_information="المكتبة الرئيسية، Strømgaten 6، بيرغن. الحضور مجاني.",
    )
    services.meeting_translation_create(
        meeting=meeting,
        language=_language("en", "English", "Engelsk", "ltr"),
        title="Dialogue meeting about premises",
        description="Which premises do the associations need?",
    )
    return meeting


def test_the_arabic_information_reads_right_to_left_without_accessibility_violations(page, translated_meeting):
    page.goto("/moter/")
    page.get_by_label("Informasjon på språk").select_option(label="Arabisk (العربية)")
    page.get_by_role("button", name="Vis møter").click()
    page.get_by_role("link", name="Dialogmøte om lokaler").click()

    block = page.locator("#oversettelse")
    block.wait_for()
    assert block.get_attribute("lang") == "ar"
    assert block.evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert block.get_by_role("heading", name=ARABIC_TITLE).is_visible()
    # The Norwegian page around it still runs left to right.
    assert page.locator("#mote-tittel").evaluate("element => getComputedStyle(element).direction") == "ltr"
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.get_by_role("link", name="English").click()
    english = page.locator("#oversettelse")
    english.get_by_role("heading", name="Dialogue meeting about premises").wait_for()
    assert english.evaluate("element => getComputedStyle(element).direction") == "ltr"
    assert english.get_attribute("lang") == "en"
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_staff_write_the_arabic_information_and_see_it_on_the_page(page, translated_meeting):
    _language("so", "Soomaali", "Somali", "ltr")
    staff = MunicipalStaffFactory(municipality=translated_meeting.municipality).user
    log_in(page, staff)
    page.goto(translated_meeting.get_absolute_url())
    page.get_by_role("link", name="Informasjon på andre språk", exact=True).click()
    page.get_by_role("link", name="Endre Arabisk").click()
    assert page.get_by_label("Tittel").get_attribute("dir") == "rtl"
    page.get_by_label("Tittel").fill("")
    page.get_by_role("button", name="Lagre").click()
    page.get_by_text("Skriv tittelen på dette språket.").wait_for()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_label("Tittel").fill("لقاء حواري جديد")
    page.get_by_role("button", name="Lagre").click()
    page.get_by_text("Informasjonen på Arabisk er lagret.").wait_for()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_role("link", name="Legg til et språk").click()
    page.get_by_label("Språk").select_option(label="Somali (Soomaali)")
    page.get_by_label("Tittel").fill("Kulan wadahadal")
    page.get_by_role("button", name="Lagre").click()
    page.get_by_text("Informasjonen på Somali er lagret.").wait_for()
    page.get_by_role("link", name="Dialogmøte om lokaler").click()
    page.get_by_role("link", name="العربية").click()
    assert page.locator("#oversettelse").get_by_role("heading", name="لقاء حواري جديد").is_visible()
    assert page.get_by_role("link", name="Soomaali").is_visible()
