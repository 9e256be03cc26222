"""Timeline events keep their details as data, written out in the reader's language when shown.

Rows written before stored a line of text in `note`, in the language of whoever acted. Where the
kind of event says what the text was (an association's name, an address, a status), the text is
turned into data; text that cannot be read that way stays in `note` and is shown as it is.
"""

from django.db import migrations, models

# The labels events were written with, in the portal's interface languages.
RESPONSE_KINDS = {
    "Foreløpig svar": "preliminary",
    "Preliminary answer": "preliminary",
    "Svar": "answer",
    "Answer": "answer",
    "Invitasjon til dialogmøte": "meeting",
    "Invitation to a dialogue meeting": "meeting",
    "Annet": "other",
    "Other": "other",
}
STATUSES = {
    "Utkast": "draft",
    "Draft": "draft",
    "Samler underskrifter": "collecting",
    "Collecting signatures": "collecting",
    "Sendt": "sent",
    "Sent": "sent",
    "Foreløpig svar mottatt": "preliminary",
    "Preliminary answer received": "preliminary",
    "Besvart": "answered",
    "Answered": "answered",
    "Dialogmøte avtalt": "meeting_agreed",
    "Dialogue meeting agreed": "meeting_agreed",
    "Avsluttet": "closed",
    "Closed": "closed",
}
SENT_BY_POST = {"sendt i posten", "sent by post"}


def params_from_note(kind: str, note: str) -> dict | None:
    """The details an old event's text stood for, or None when the text cannot be read as such."""
    if kind in ("signed", "withdrawn"):
        return {"association": note}
    if kind == "meeting":
        return {"meeting": note}
    if kind == "sent":
        if note in SENT_BY_POST:
            return {"channel": "post"}
        if "@" in note and " " not in note:
            return {"channel": "email", "to": note}
    if kind == "response" and note in RESPONSE_KINDS:
        return {"response": RESPONSE_KINDS[note]}
    if kind == "status" and note in STATUSES:
        return {"status": STATUSES[note]}
    if kind == "reminder" and note.isdigit():
        return {"weeks": int(note)}
    return None


def events_from_notes(apps, schema_editor):
    LetterEvent = apps.get_model("correspondence", "LetterEvent")
    for event in LetterEvent.objects.exclude(note="").filter(params={}).iterator():
        params = params_from_note(event.kind, event.note)
        if params is not None:
            LetterEvent.objects.filter(pk=event.pk).update(params=params, note="")


def notes_from_events(apps, schema_editor):
    """Back to text, in Bokmål, for the kinds the text came from."""
    LetterEvent = apps.get_model("correspondence", "LetterEvent")
    response_labels = {value: label for label, value in list(RESPONSE_KINDS.items())[::2]}
    status_labels = {value: label for label, value in list(STATUSES.items())[::2]}
    for event in LetterEvent.objects.filter(note="").exclude(params={}).iterator():
        params = event.params
        note = (
            params.get("association")
            or params.get("meeting")
            or params.get("to")
            or ("sendt i posten" if params.get("channel") == "post" else "")
            or response_labels.get(params.get("response"), "")
            or status_labels.get(params.get("status"), "")
            or str(params.get("weeks", ""))
        )
        LetterEvent.objects.filter(pk=event.pk).update(note=note[:300])


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0004_contact_for_replies_and_signers"),
    ]

    operations = [
        migrations.AddField(
            model_name="letterevent",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="detaljer"),
        ),
        migrations.RunPython(events_from_notes, notes_from_events),
    ]
