"""Median time to render a working group's letter as PDF, against the limit: WeasyPrint rendering
the very same letter HTML and stylesheet with its public API and default settings.

    .venv/bin/python bench/letters.py [--runs 15]

The difference is the portal's own overhead: loading the letter, building its document and
rendering the template. Runs on a throwaway SQLite database; prints both medians and their ratio,
and for the record WeasyPrint's time when it is given the font configuration and parsed
stylesheet the portal keeps per process.
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

AIM = 1.2

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

    from correspondence import rendering
    from correspondence.rendering import PDF_STYLESHEET, letter_document, pdf_markup, render_pdf
    from correspondence.selectors import letter_for_rendering

    letter = build_letter()
    html = pdf_markup(letter_document(letter_for_rendering(pk=letter.pk), final=True))

    def portal():
        # As the send path and the PDF view do it: load the letter with its parts, then render.
        return render_pdf(letter_for_rendering(pk=letter.pk), final=True)

    def limit():
        return HTML(string=html).write_pdf(stylesheets=[str(PDF_STYLESHEET)])

    def limit_reusing():
        # For the record, not the aim: WeasyPrint given the font configuration and the parsed
        # stylesheet the portal keeps per process, which leaves the portal's own work as the difference.
        return HTML(string=html).write_pdf(
            stylesheets=[rendering._pdf_stylesheet()], font_config=rendering._font_config()
        )

    if portal() != limit():
        sys.exit("the portal's PDF and WeasyPrint's of the same HTML differ: the comparison would be unfair")
    portal_median, limit_median, reusing_median = medians([portal, limit, limit_reusing], args.runs)
    print(f"portal letter PDF (median of {args.runs}): {portal_median * 1000:.1f} ms, {describe(portal())}")
    print(
        f"WeasyPrint alone, same HTML and stylesheet (median of {args.runs}): {limit_median * 1000:.1f} ms, "
        f"{describe(limit())}"
    )
    print(
        f"WeasyPrint alone, reusing the portal's font configuration and parsed stylesheet: {reusing_median * 1000:.1f} ms "
        f"(the portal's own work: {(portal_median - reusing_median) * 1000:.1f} ms)"
    )
    ratio = portal_median / limit_median
    verdict = "within" if ratio <= AIM else "over"
    print(
        f"ratio: {ratio:.2f}x ({verdict} the aim: at most {AIM}x of WeasyPrint rendering the very same letter "
        "HTML and stylesheet with its public API and default settings)"
    )


if __name__ == "__main__":
    main()
