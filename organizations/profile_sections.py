"""Sections other apps add to an association's profile page (its meetings, its co-signed letters).

An app registers a section in its AppConfig.ready():

    register_profile_section(template="meetings/includes/association_meetings.html",
                             context=lambda request, association: {"meetings": ...})

The context function must run a fixed number of queries, so the profile stays O(1).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProfileSection:
    template: str
    context: Callable


_sections: list[ProfileSection] = []


def register_profile_section(*, template: str, context: Callable) -> None:
    section = ProfileSection(template=template, context=context)
    if section not in _sections:
        _sections.append(section)


def profile_sections(*, request, association) -> list[dict]:
    return [{"template": section.template, "context": section.context(request, association)} for section in _sections]
