"""Median time to render a working group's letter as PDF, against the limit: WeasyPrint rendering
a plain HTML page with the same amount of text and no portal code.

    .venv/bin/python bench/letters.py [--runs 15]

Runs on a throwaway SQLite database; prints both medians and their ratio (aim: at most 1.5×).
"""

import argparse
import datetime
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="bench-letters-")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ.setdefault("DEBUG", "1")
os.environ["MEDIA_ROOT"] = workdir
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialog_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


def build_letter():
    from accounts.models import User
    from correspondence import services
    from organizations.models import Association, Category, Membership, Municipality, PartyLeader

    municipality = Municipality.objects.create(
        number="4601",
        name="Bergen",
        political_leader_name="Marte Mjøs Persen",
        administrative_leader_name="Ørjan Åsheim",
        official_email="postmottak@example.org",
        postal_address="Postboks 7700\n5020 Bergen",
    )
    for party, name in [("Arbeiderpartiet", "Per Hansen"), ("Høyre", "Åse Berg"), ("Venstre", "Vilde Vik")]:
        PartyLeader.objects.create(municipality=municipality, party=party, name=name)
    leader = User.objects.create_user("leder@example.org", full_name="Lise Leder")
    group = services.group_create(
        user=leader,
        name="Frivillighetsgruppa i Bergen",
        municipality=municipality,
        meeting_date=datetime.date(2026, 11, 3),
        meeting_time=datetime.time(18, 30),
        meeting_place="Biblioteket",
        theme="Hvordan kan kommunen og lagene sammen lage en god frivillighetspolitikk?",
        mandate="Skrive en formell henvendelse til kommuneledelsen",
        categories=Category.objects.filter(slug__in=["idrett", "kunst-og-kultur", "barn-og-unge"]),
    )
    letter = services.letter_create(group=group, user=leader)
    letter = services.letter_update(
        letter=letter, user=leader, parts={"challenges": ["recruitment", "finances", "visibility", "no_contact"]}
    )
    letter = services.letter_open_for_signatures(letter=letter, user=leader)
    for n in range(8):
        admin = User.objects.create_user(f"admin{n}@example.org", full_name=f"Admin {n}")
        association = Association.objects.create(
            name=f"Forening {n} for æøå", slug=f"forening-{n}", municipality=municipality, status="verified"
        )
        Membership.objects.create(association=association, user=admin, role="admin")
        services.letter_sign(letter=letter, association=association, user=admin)
    return letter


def plain_html(characters: int) -> str:
    words = "Frivillige lag og foreninger gjør lokalsamfunnet levende, og de ønsker en jevnlig dialog med kommunen. "
    text = (words * (characters // len(words) + 1))[:characters]
    paragraphs = "".join(f"<p>{text[i : i + 600]}</p>" for i in range(0, len(text), 600))
    return f'<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>x</title></head><body>{paragraphs}</body></html>'


def describe(pdf: bytes) -> str:
    """Pages, size and embedded font faces of a PDF: what the time was spent on."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    faces = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    return f"{len(reader.pages)} page(s), {len(pdf) / 1024:.1f} KiB, fonts: {', '.join(sorted(faces))}"


def medians(functions, runs: int) -> list[float]:
    """Median seconds of each function. Runs are interleaved so that load from other processes on
    the machine falls on both sides alike."""
    for function in functions:
        function()  # warm up fonts and caches
    timings = [[] for _ in functions]
    for _ in range(runs):
        for function, times in zip(functions, timings, strict=True):
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
    return [statistics.median(times) for times in timings]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    # WeasyPrint logs each rendering step at INFO; printing that would be timed too.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    from weasyprint import HTML

    from correspondence.rendering import letter_document, render_pdf
    from correspondence.selectors import letter_for_rendering

    letter = build_letter()
    document = letter_document(letter)
    characters = sum(
        len(text)
        for text in [
            *document.sender,
            *document.addressees,
            document.subject,
            *[p for section in document.sections for p in section.paragraphs],
            *document.challenges,
            *document.wishes,
            *document.points,
            *document.closing,
            *document.signatories,
            *document.copies,
        ]
    )
    html = plain_html(characters)

    def portal():
        # As the send path and the PDF view do it: load the letter with its parts, then render.
        return render_pdf(letter_for_rendering(pk=letter.pk), final=True)

    def limit():
        return HTML(string=html).write_pdf()

    portal_median, limit_median = medians([portal, limit], args.runs)
    print(f"letter text: {characters} characters")
    print(f"portal letter PDF (median of {args.runs}): {portal_median * 1000:.1f} ms, {describe(portal())}")
    print(f"plain WeasyPrint, same text (median of {args.runs}): {limit_median * 1000:.1f} ms, {describe(limit())}")
    print(f"ratio: {portal_median / limit_median:.2f}x (aim: at most 1.5x)")


if __name__ == "__main__":
    main()
