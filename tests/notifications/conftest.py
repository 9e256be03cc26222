import pytest

from tests.notifications.kinds import TEMPLATE_DIR


@pytest.fixture(autouse=True)
def _test_email_templates(settings):
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], TEMPLATE_DIR]} for engine in settings.TEMPLATES]
    settings.SITE_URL = "https://dialog.example.no"


@pytest.fixture
def send_on_commit(django_capture_on_commit_callbacks):
    """Run the after-commit hand-over (in-process in the unit tests), as a real commit would."""

    def run(callable_, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_(*args, **kwargs)

    return run
