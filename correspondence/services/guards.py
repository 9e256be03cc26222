"""What every correspondence service checks first: membership of the group, a letter still editable, the letter locked."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from dialog_portal.permissions import can

from ..models import Letter


def require_member(user, group):
    if not can(user, "correspondence.change_group", group):
        raise PermissionDenied(_("Bare medlemmer av arbeidsgruppen kan gjøre dette."))


def require_editable(letter):
    if letter.is_frozen:
        raise ValidationError(_("Brevet er sendt og kan ikke endres."), code="frozen")


def letter_locked(letter) -> Letter:
    return (
        Letter.objects.select_for_update(of=("self",))
        .select_related("group__municipality", "group__district")
        .get(pk=letter.pk)
    )
