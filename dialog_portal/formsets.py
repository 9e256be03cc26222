"""Formsets that build and accept no more rows than their page can use.

Django builds as many forms as a post's management form asks for (TOTAL_FORMS), up to the
formset's absolute_max, which is 2,000 unless set: a post asking for 100,000 rows took 18 seconds
to refuse. With absolute_max equal to max_num, a post asking for more rows than the page offers
is refused with a form error before any row beyond the limit is built.
"""

from django.forms import BaseFormSet, BaseInlineFormSet
from django.utils.translation import ngettext_lazy


def row_limit(max_num: int) -> dict:
    """The formset factory's arguments for at most max_num rows, shown, built and accepted."""
    return {"max_num": max_num, "absolute_max": max_num, "validate_max": True}


class _RowLimitMessage:
    default_error_messages = {
        "too_many_forms": ngettext_lazy(
            "Det er plass til høyst %(num)d rad her.",
            "Det er plass til høyst %(num)d rader her.",
            "num",
        ),
    }


class LimitedFormSet(_RowLimitMessage, BaseFormSet):
    pass


class LimitedInlineFormSet(_RowLimitMessage, BaseInlineFormSet):
    pass
