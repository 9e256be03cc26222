"""What each app knows about a person: for the data download and for deleting an account.

Apps register an exporter (returns JSON-serialisable data about the user) and, where the app
has something that must be handed over first, a blocker (returns a list of human-readable
reasons why the account cannot be deleted yet). Both are registered in the app's AppConfig.ready.
"""

from collections.abc import Callable

_exporters: dict[str, Callable] = {}
_blockers: list[Callable] = []


def register_exporter(section: str, exporter: Callable) -> None:
    _exporters[section] = exporter


def register_deletion_blocker(blocker: Callable) -> None:
    if blocker not in _blockers:
        _blockers.append(blocker)


def exporters() -> dict[str, Callable]:
    return dict(_exporters)


def deletion_blockers(user) -> list[str]:
    reasons = []
    for blocker in _blockers:
        reasons.extend(blocker(user))
    return reasons
