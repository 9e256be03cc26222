import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from correspondence.models import Letter, Response
from tests.correspondence.factories import WorkingGroupFactory, answer_pdf


@pytest.fixture(autouse=True)
def _open_data_settings(settings, tmp_path):
    # A test makes many requests from one address; the rate-limit tests lower the limit themselves.
    settings.OPENDATA_RATE_LIMIT = 10_000
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://dialog.example.no"


@pytest.fixture
def make_letter(municipality):
    """A letter of a working group in the municipality, sent (frozen PDF on disk) unless told otherwise."""
    groups = {}

    def make(
        *,
        subject="Om frivillighetspolitikk",
        status=Letter.Status.SENT,
        published=True,
        municipality=municipality,
        sent_at=None,
    ):
        group = groups.get(municipality.pk) or WorkingGroupFactory(municipality=municipality)
        groups[municipality.pk] = group
        sent = status in Letter.FROZEN_STATUSES
        letter = Letter.objects.create(
            group=group,
            subject=subject,
            status=status,
            published=published,
            reference=f"DP-2026-{Letter.objects.count() + 1:04d}" if sent else "",
            sent_at=(sent_at or timezone.now()) if sent else None,
            sent_on=timezone.localdate() if sent else None,
            sent_pdf_sha256="ab" * 32 if sent else "",
            contact_name="Hemmelig Kontaktperson",
            contact_email="brevkontakt@example.org",
        )
        if sent:
            letter.sent_pdf.save(f"{letter.reference}.pdf", ContentFile(answer_pdf()), save=True)
        return letter

    return make


def add_answer(letter, *, summary="Kommunen takker for brevet.", document=True):
    answer = Response(
        letter=letter, received_on=timezone.localdate() - datetime.timedelta(days=1), kind="answer", summary=summary
    )
    if document:
        answer.document.save("svar.pdf", ContentFile(answer_pdf()), save=False)
    answer.save()
    return answer
