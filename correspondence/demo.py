"""Demo data: a working group in the demo municipality with a draft letter open for signatures."""

import datetime

from organizations.models import Category

from . import services
from .models import GroupMembership, Letter, WorkingGroup

DEMO_GROUP_NAME = "Arbeidsgruppe for frivillighetspolitikk"


def load(context) -> dict:
    municipality = context["municipality"]
    users = context["users"]
    leader = users["frivillig@example.org"]
    group = WorkingGroup.objects.filter(municipality=municipality, name=DEMO_GROUP_NAME).first()
    if group is None:
        group = services.group_create(
            user=leader,
            name=DEMO_GROUP_NAME,
            municipality=municipality,
            meeting_date=datetime.date(2026, 10, 20),
            meeting_time=datetime.time(18, 0),
            meeting_place="Hovedbiblioteket",
            theme=(
                "Hvordan kan kommunen og lagene og foreningene sammen lage en frivillighetspolitikk som gir mer "
                "og bedre frivillighet?"
            ),
            mandate="Skrive en formell henvendelse til ordføreren og kommunedirektøren og be om et dialogmøte",
            categories=Category.objects.filter(
                slug__in=[
                    "kunst-og-kultur",
                    "idrett",
                    "mangfold-inkludering-og-innvandrerorganisasjoner",
                    "barn-og-unge",
                ]
            ),
            associations=[a for a in context.get("associations", []) if a.status == "verified"],
        )
    GroupMembership.objects.get_or_create(group=group, user=users["styreleder@example.org"])
    letter = group.letters.filter(kind=Letter.Kind.INQUIRY).first()
    if letter is None:
        letter = services.letter_create(group=group, user=leader)
        letter = services.letter_update(
            letter=letter, user=leader, parts={"challenges": ["recruitment", "finances", "visibility", "no_contact"]}
        )
    return {"working_group": group, "letter": letter}
