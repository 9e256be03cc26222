import pytest

from notifications import registry
from notifications.registry import EmailKind, UnknownEmailKind, all_kinds, get_kind, register
from tests.notifications.kinds import GREETING, REMINDER


def test_registering_the_same_kind_again_is_harmless():
    again = register(EmailKind(key="tests.greeting", template="tests/emails/greeting", description="Hilsen"))
    assert again == GREETING
    assert get_kind("tests.greeting") is not None
    assert [kind.key for kind in all_kinds()].count("tests.greeting") == 1


def test_redefining_a_kind_is_refused():
    with pytest.raises(ValueError, match="already registered"):
        register(EmailKind(key="tests.greeting", template="tests/emails/other"))
    assert get_kind("tests.greeting").template == "tests/emails/greeting"


def test_a_kind_needs_a_key_and_a_template():
    with pytest.raises(ValueError):
        register(EmailKind(key="", template="x"))
    with pytest.raises(ValueError):
        register(EmailKind(key="tests.nothing", template=""))


def test_unknown_kind_is_an_error():
    with pytest.raises(UnknownEmailKind, match="tests.nonexistent"):
        get_kind("tests.nonexistent")


def test_kind_names_its_three_templates_and_defaults_to_transactional():
    kind = EmailKind(key="tests.x", template="app/emails/x")
    assert (kind.subject_template, kind.text_template, kind.html_template) == (
        "app/emails/x_subject.txt",
        "app/emails/x.txt",
        "app/emails/x.html",
    )
    assert kind.transactional is True
    assert kind.automatic is True
    assert REMINDER.transactional is False


def test_apps_emails_modules_are_discovered_and_kinds_listed_in_key_order():
    keys = [kind.key for kind in all_kinds()]
    assert "notifications.test_message" in keys
    assert keys == sorted(keys)


def test_unregister_removes_a_kind():
    register(EmailKind(key="tests.temporary", template="tests/emails/greeting"))
    registry.unregister("tests.temporary")
    with pytest.raises(UnknownEmailKind):
        get_kind("tests.temporary")
