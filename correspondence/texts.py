"""The letter's default wording in Bokmål and Nynorsk, and the fixed words of its layout.

These texts are letter content in the letter's own målform, not interface text, so they are not
run through gettext: a letter in Nynorsk stays in Nynorsk whatever language the writer's
browser uses.
"""

from .domain import PRELIMINARY_ANSWER, answer_state
from .norwegian import format_date, format_time, format_weekday_date

LABELS = {
    "nb": {
        "to": "Til",
        "reference": "Vår referanse",
        "reference_pending": "tildeles når brevet sendes",
        "background": "Bakgrunn for henvendelsen",
        "voluntary_effort": "Om frivillig innsats i kommunen",
        "situation": "Situasjonen i dag",
        "wishes": "Hva ønsker vi?",
        "challenges_intro": "Mange lag og foreninger kjenner seg igjen i disse utfordringene:",
        "greeting": "Med vennlig hilsen",
        "contact": "Kontaktperson",
        "email": "E-post",
        "phone": "Telefon",
        "signed_for": "v/",
        "cosigners": "Brevet er skrevet under av disse lagene og foreningene:",
        "copy": "Kopi",
        "attachment": "Vedlegg",
        "first_letter": "Brevet av %(date)s",
        "draft": "UTKAST",
    },
    "nn": {
        "to": "Til",
        "reference": "Vår referanse",
        "reference_pending": "blir tildelt når brevet blir sendt",
        "background": "Bakgrunnen for førespurnaden",
        "voluntary_effort": "Om frivillig innsats i kommunen",
        "situation": "Situasjonen i dag",
        "wishes": "Kva ønskjer vi?",
        "challenges_intro": "Mange lag og foreiningar kjenner seg att i desse utfordringane:",
        "greeting": "Med venleg helsing",
        "contact": "Kontaktperson",
        "email": "E-post",
        "phone": "Telefon",
        "signed_for": "v/",
        "cosigners": "Brevet er skrive under av desse laga og foreiningane:",
        "copy": "Kopi",
        "attachment": "Vedlegg",
        "first_letter": "Brevet av %(date)s",
        "draft": "UTKAST",
    },
}

CHALLENGES = {
    "nb": {
        "recruitment": "å rekruttere nye medlemmer og frivillige",
        "finances": "en stram økonomi",
        "visibility": "å gjøre aktiviteten kjent utenfor egne rekker",
        "premises": "å finne egnede lokaler",
        "no_contact": "å få kontakt med kommunen i det hele tatt",
    },
    "nn": {
        "recruitment": "å rekruttere nye medlemmer og frivillige",
        "finances": "ein stram økonomi",
        "visibility": "å gjere aktiviteten kjend utanfor eigne rekkjer",
        "premises": "å finne eigna lokale",
        "no_contact": "å få kontakt med kommunen i det heile",
    },
}

_LEADERSHIP = {
    "nb": {"municipality": "kommuneledelsen", "district": "bydelsledelsen"},
    "nn": {"municipality": "kommuneleiinga", "district": "bydelsleiinga"},
}

_DEFAULTS = {
    "nb": {
        "subject": "Forespørsel om jevnlig dialog mellom de lokale lagene og foreningene og {leadership} i {place}",
        "voluntary_effort": (
            "Lagene og foreningene i kommunen spenner vidt – fra kultur og idrett til miljøvern, velforeninger, "
            "tro og livssyn, helse og omsorg, innvandrerorganisasjoner og tilbud for barn og unge. Bak dem ligger "
            "tusenvis av timer med frivillig arbeid hvert år.\n\n"
            "Dette arbeidet gjør kommunen til et bedre sted å bo. Det skaper møteplasser og fellesskap, gir bedre "
            "helse og trivsel og en sterkere følelse av å høre til. I lagene får folk bruke interessene sine, lære "
            "av hverandre og være med på å forme lokalsamfunnet."
        ),
        "situation": (
            "Kontakten mellom frivilligheten og kommunen er ujevn. Noen lag møter kommunen jevnlig gjennom egne råd, "
            "mens mange ikke har noen kontakt i det hele tatt. Dermed blir mye av det frivillige arbeidet usynlig for "
            "dem som tar beslutningene. Frivillig innsats kommer ikke av seg selv, og vi mener kommunen kan gjøre mer "
            "for å legge til rette for den."
        ),
        "wishes": (
            "Vi ber om at kommunen, sammen med de lokale lagene og foreningene, utarbeider en helhetlig "
            "frivillighetspolitikk som gjelder alle typer lag og foreninger. Samarbeidsplattformen mellom KS og "
            "Frivillighet Norge peker på prinsipper en slik politikk kan bygge på. Med den som utgangspunkt vil vi "
            "gjerne drøfte disse spørsmålene med {leadership}:"
        ),
        "points": [
            "Frivilligheten er en egen sektor som holder lokalsamfunnet levende. Hvordan kan en helhetlig politikk "
            "styrke sektoren som helhet og møte behovene den har?",
            "Kommunen og frivilligheten har forskjellige roller. Hvordan kan vi få fram det vi har felles interesse i?",
            "Hva kan kommunen og innbyggerne vinne på en helhetlig frivillighetspolitikk?",
            "Hvordan kan vi få en fast møteplass med kommunen der hele den lokale frivilligheten er med?",
        ],
        "closing": (
            "Vi ber om et møte med {leadership} der vi sammen kan drøfte disse spørsmålene. Vi håper dere ser "
            "verdien av et slikt møte like mye som vi gjør, og ser fram til å høre fra dere snart."
        ),
        "background_meeting": "{when} ble det holdt et diskusjonsmøte{place} med lag og foreninger innen {kinds}.",
        "background_meeting_no_kinds": "{when} ble det holdt et diskusjonsmøte{place} med lag og foreninger i {authority}.",
        "background_theme": "Temaet for møtet var: {theme}",
        "background_mandate": (
            "Møtet satte ned en arbeidsgruppe og ga den dette mandatet: {mandate} Dette brevet er skrevet på "
            "grunnlag av det mandatet."
        ),
        "place": " på {place}",
        "and": "og",
        "follow_up_subject": "Purring: {subject}",
        "follow_up_body": (
            "Den {date} sendte arbeidsgruppen {group} et brev til {leadership} med emnet «{subject}» (vår referanse "
            "{reference}). Vi har ennå ikke fått svar.\n\n"
            "God forvaltningsskikk, slik forvaltningsloven § 11 a uttrykker den, tilsier at henvendelser blir besvart "
            "uten ugrunnet opphold, og at det blir gitt et foreløpig svar når det vil ta tid å svare. Vi ber derfor om "
            "et svar, eller i det minste et foreløpig svar som sier når vi kan vente svar og hvem som følger opp saken."
        ),
        "follow_up_body_preliminary": (
            "Den {date} sendte arbeidsgruppen {group} et brev til {leadership} med emnet «{subject}» (vår referanse "
            "{reference}). Takk for det foreløpige svaret{received}. Vi har ennå ikke fått et endelig svar.\n\n"
            "God forvaltningsskikk, slik forvaltningsloven § 11 a uttrykker den, tilsier at henvendelser blir besvart "
            "uten ugrunnet opphold. Vi ber derfor om svaret, eller om å få vite når vi kan vente det og hvem som "
            "følger opp saken."
        ),
        "received_on": " av {date}",
        "follow_up_closing": "Det første brevet ligger ved. Vi ser fram til å høre fra dere.",
    },
    "nn": {
        "subject": "Førespurnad om jamleg dialog mellom dei lokale laga og foreiningane og {leadership} i {place}",
        "voluntary_effort": (
            "Laga og foreiningane i kommunen spenner vidt – frå kultur og idrett til miljøvern, velforeiningar, "
            "tru og livssyn, helse og omsorg, innvandrarorganisasjonar og tilbod for born og unge. Bak dei ligg "
            "tusenvis av timar med frivillig arbeid kvart år.\n\n"
            "Dette arbeidet gjer kommunen til ein betre stad å bu. Det skaper møteplassar og fellesskap, gir betre "
            "helse og trivsel og ei sterkare kjensle av å høyre til. I laga får folk bruke interessene sine, lære "
            "av kvarandre og vere med på å forme lokalsamfunnet."
        ),
        "situation": (
            "Kontakten mellom frivilligheita og kommunen er ujamn. Nokre lag møter kommunen jamleg gjennom eigne råd, "
            "medan mange ikkje har nokon kontakt i det heile. Dermed blir mykje av det frivillige arbeidet usynleg "
            "for dei som tek avgjerdene. Frivillig innsats kjem ikkje av seg sjølv, og vi meiner kommunen kan gjere "
            "meir for å leggje til rette for han."
        ),
        "wishes": (
            "Vi ber om at kommunen, saman med dei lokale laga og foreiningane, utarbeider ein heilskapleg "
            "frivilligheitspolitikk som gjeld alle typar lag og foreiningar. Samarbeidsplattforma mellom KS og "
            "Frivillighet Norge peikar på prinsipp ein slik politikk kan byggje på. Med den som utgangspunkt vil vi "
            "gjerne drøfte desse spørsmåla med {leadership}:"
        ),
        "points": [
            "Frivilligheita er ein eigen sektor som held lokalsamfunnet levande. Korleis kan ein heilskapleg politikk "
            "styrkje sektoren som heilskap og møte behova han har?",
            "Kommunen og frivilligheita har ulike roller. Korleis kan vi få fram det vi har felles interesse i?",
            "Kva kan kommunen og innbyggjarane vinne på ein heilskapleg frivilligheitspolitikk?",
            "Korleis kan vi få ein fast møteplass med kommunen der heile den lokale frivilligheita er med?",
        ],
        "closing": (
            "Vi ber om eit møte med {leadership} der vi saman kan drøfte desse spørsmåla. Vi håper de ser verdien "
            "av eit slikt møte like mykje som vi gjer, og ser fram til å høyre frå dykk snart."
        ),
        "background_meeting": "{when} vart det halde eit diskusjonsmøte{place} med lag og foreiningar innan {kinds}.",
        "background_meeting_no_kinds": "{when} vart det halde eit diskusjonsmøte{place} med lag og foreiningar i {authority}.",
        "background_theme": "Temaet for møtet var: {theme}",
        "background_mandate": (
            "Møtet sette ned ei arbeidsgruppe og gav henne dette mandatet: {mandate} Dette brevet er skrive på "
            "grunnlag av det mandatet."
        ),
        "place": " på {place}",
        "and": "og",
        "follow_up_subject": "Purring: {subject}",
        "follow_up_body": (
            "Den {date} sende arbeidsgruppa {group} eit brev til {leadership} med emnet «{subject}» (vår referanse "
            "{reference}). Vi har enno ikkje fått svar.\n\n"
            "God forvaltingsskikk, slik forvaltningslova § 11 a uttrykkjer han, tilseier at førespurnader blir svara på "
            "utan ugrunna opphald, og at det blir gitt eit førebels svar når det vil ta tid å svare. Vi ber difor om "
            "eit svar, eller i det minste eit førebels svar som seier når vi kan vente svar og kven som følgjer opp "
            "saka."
        ),
        "follow_up_body_preliminary": (
            "Den {date} sende arbeidsgruppa {group} eit brev til {leadership} med emnet «{subject}» (vår referanse "
            "{reference}). Takk for det førebelse svaret{received}. Vi har enno ikkje fått eit endeleg svar.\n\n"
            "God forvaltingsskikk, slik forvaltningslova § 11 a uttrykkjer han, tilseier at førespurnader blir svara på "
            "utan ugrunna opphald. Vi ber difor om svaret, eller om å få vite når vi kan vente det og kven som følgjer "
            "opp saka."
        ),
        "received_on": " av {date}",
        "follow_up_closing": "Det første brevet ligg ved. Vi ser fram til å høyre frå dykk.",
    },
}


def language_for(authority_written_standard: str) -> str:
    """The letter's målform: the municipality's official one; neutral municipalities get Bokmål."""
    return "nn" if authority_written_standard == "nn" else "nb"


def labels(language: str) -> dict:
    return LABELS[_lang(language)]


def challenge_text(language: str, key: str) -> str:
    return CHALLENGES[_lang(language)].get(key, "")


def authority_name(group) -> str:
    """How the letter names the institution it goes to: "Bergen kommune"; a district by its own name."""
    return group.district.name if group.district_id else group.municipality.official_name


def leadership(group, language: str) -> str:
    return _LEADERSHIP[_lang(language)]["district" if group.district_id else "municipality"]


def default_parts(group, language: str) -> dict:
    """Every editable part of a new inquiry, written from the working group's data."""
    texts = _DEFAULTS[_lang(language)]
    lead = leadership(group, language)
    return {
        "subject": texts["subject"].format(leadership=lead, place=group.authority.name),
        "background": background(group, language),
        "voluntary_effort": texts["voluntary_effort"],
        "situation": texts["situation"],
        "wishes": texts["wishes"].format(leadership=lead),
        "closing": texts["closing"].format(leadership=lead),
    }


def default_points(language: str) -> list[str]:
    return list(_DEFAULTS[_lang(language)]["points"])


def background(group, language: str) -> str:
    texts = _DEFAULTS[_lang(language)]
    when = f"{format_weekday_date(group.discussion_date, language)} {format_time(group.discussion_time)}"
    place = texts["place"].format(place=group.discussion_place) if group.discussion_place else ""
    names = [category.name_in(_lang(language)) for category in group.categories.all()]
    kinds = [name[0].lower() + name[1:] for name in names if name]
    if kinds:
        meeting = texts["background_meeting"].format(
            when=_capitalise(when), place=place, kinds=join_words(kinds, texts["and"])
        )
    else:
        meeting = texts["background_meeting_no_kinds"].format(
            when=_capitalise(when), place=place, authority=group.authority.name
        )
    theme = texts["background_theme"].format(theme=_sentence(group.theme))
    mandate = texts["background_mandate"].format(mandate=_sentence(group.mandate))
    return f"{meeting} {theme}\n\n{mandate}"


def follow_up_parts(letter, language: str) -> dict:
    """The parts of a follow-up to `letter`: it names the first letter by date and reference, and
    says what has come back so far (nothing, or a preliminary answer)."""
    texts = _DEFAULTS[_lang(language)]
    sent_on = letter.sent_on or letter.sent_at.date()
    fields = {
        "date": format_date(sent_on, language),
        "group": letter.group.name,
        "leadership": leadership(letter.group, language),
        "subject": letter.subject,
        "reference": letter.reference,
    }
    if answer_state(letter) == PRELIMINARY_ANSWER:
        received = [r.received_on for r in letter.responses.all() if r.kind == "preliminary"]
        on = texts["received_on"].format(date=format_date(min(received), language)) if received else ""
        body = texts["follow_up_body_preliminary"].format(received=on, **fields)
    else:
        body = texts["follow_up_body"].format(**fields)
    return {
        "subject": texts["follow_up_subject"].format(subject=letter.subject),
        "background": body,
        "voluntary_effort": "",
        "situation": "",
        "wishes": "",
        "closing": texts["follow_up_closing"],
    }


def join_words(words: list[str], conjunction: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if text and text[-1] not in ".!?":
        text += "."
    return text


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lang(language: str) -> str:
    return "nn" if language == "nn" else "nb"
