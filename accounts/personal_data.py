"""What each app knows about a person: for the data download and for deleting an account.

Apps register an exporter (returns JSON-serialisable data about the user), an eraser (removes or
anonymises what the app holds about the person when the account is deleted) and, where the app
has something that must be handed over first, a blocker (returns a list of human-readable
reasons why the account cannot be deleted yet). All are registered in the app's AppConfig.ready.

Exporters and erasers find the person by the user foreign key and, where the portal stored only
text, by the person's addresses and name (see Person).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from .selectors import user_addresses

_exporters: dict[str, Callable] = {}
_blockers: list[Callable] = []
_erasers: list[Callable] = []
_final_erasers: list[Callable] = []


@dataclass(frozen=True)
class Person:
    """The account and what identifies its owner where only text was stored.

    emails are the login and the verified addresses, in lower case: an address added to the
    account but never confirmed may be somebody else's, so it finds nothing.
    """

    user: object
    name: str
    emails: frozenset[str]
    phone: str

    @property
    def terms(self) -> list[str]:
        """The strings that name the person in free text, longest first."""
        return sorted({term for term in (self.name, self.phone, *self.emails) if term and term.strip()}, key=len)[::-1]


def person_of(user) -> Person:
    return Person(
        user=user,
        name=(user.full_name or "").strip(),
        emails=frozenset(user_addresses(user=user)),
        phone=(user.phone or "").strip(),
    )


def register_exporter(section: str, exporter: Callable) -> None:
    _exporters[section] = exporter


def register_deletion_blocker(blocker: Callable) -> None:
    if blocker not in _blockers:
        _blockers.append(blocker)


def register_eraser(eraser: Callable, *, final: bool = False) -> None:
    """eraser(person=...) runs inside the deletion's transaction, before the user row is deleted.

    final erasers run after all others, for stores (the outbox) that the others may still write to.
    """
    registry = _final_erasers if final else _erasers
    if eraser not in registry:
        registry.append(eraser)


def exporters() -> dict[str, Callable]:
    return dict(_exporters)


def erasers() -> list[Callable]:
    return [*_erasers, *_final_erasers]


def deletion_blockers(user) -> list[str]:
    reasons = []
    for blocker in _blockers:
        reasons.extend(blocker(user))
    return reasons


def without_person(value, *, person: Person, placeholder: str):
    """value (text, or JSON made of dicts, lists and text) with every mention of the person removed.

    Text that is nothing but the name or an address becomes empty (templates leave an empty line
    out); a mention inside longer text becomes the placeholder. Dict keys are left alone: they
    are the names of template variables, not data.
    """

    terms = person.terms
    if not terms:
        return value
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)

    def clean(item):
        if isinstance(item, str):
            if pattern.fullmatch(item.strip()):
                return ""
            return pattern.sub(placeholder, item)
        if isinstance(item, list):
            return [clean(element) for element in item]
        if isinstance(item, dict):
            return {key: clean(element) for key, element in item.items()}
        return item

    return clean(value)


def mentions_person(value, *, person: Person) -> bool:
    return without_person(value, person=person, placeholder="") != value


def mentions_remove(queryset, fields: list[str], *, person: Person, placeholder: str) -> None:
    """In records that stay (written by the person, kept for others), remove the person's mentions.

    Written with an UPDATE per changed row, so records frozen in their save() (sent letters) lose
    the person too.
    """
    for row in queryset.only("pk", *fields):
        changes = {}
        for field in fields:
            value = getattr(row, field)
            cleaned = without_person(value, person=person, placeholder=placeholder)
            if cleaned != value:
                changes[field] = cleaned
        if changes:
            type(row)._base_manager.filter(pk=row.pk).update(**changes)
