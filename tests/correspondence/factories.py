import datetime
import io

import factory
from pypdf import PdfWriter
from pypdf.annotations import Link

from correspondence.models import GroupMembership, WorkingGroup
from tests.accounts.factories import UserFactory
from tests.organizations.factories import MunicipalityFactory


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    name = factory.Sequence(lambda n: f"Arbeidsgruppe {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    meeting_date = datetime.date(2026, 11, 3)
    meeting_time = datetime.time(18, 30)
    meeting_place = "Biblioteket"
    theme = "Hvordan kan kommunen og lagene sammen lage en god frivillighetspolitikk?"
    mandate = "Skrive en formell henvendelse til kommuneledelsen"


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(WorkingGroupFactory)
    user = factory.SubFactory(UserFactory)
    is_leader = False


def answer_pdf(change=None) -> bytes:
    """A municipality's answer as a real one-page A4 PDF with a link to its website; `change` may
    alter the document (a PdfWriter) before it is written."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": "Svar på henvendelse fra Frivillighetsgruppa"})
    writer.add_annotation(0, Link(rect=(50, 50, 200, 70), url="https://www.bergen.kommune.no/"))
    if change:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
