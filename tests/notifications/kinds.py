"""Email kinds of the tests' own, with templates in tests/notifications/templates."""

from pathlib import Path

from notifications.registry import EmailKind, register

TEMPLATE_DIR = Path(__file__).parent / "templates"

GREETING = register(EmailKind(key="tests.greeting", template="tests/emails/greeting", description="Hilsen"))
REMINDER = register(
    EmailKind(key="tests.reminder", template="tests/emails/reminder", transactional=False, description="Påminnelse")
)
