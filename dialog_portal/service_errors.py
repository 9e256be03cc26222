"""How a view shows what a service refused: a ValidationError or a PermissionDenied, on the form
it came from or as messages on the next page. Every app's views use these."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def error_messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error)]


def show_as_messages(request, error: Exception) -> None:
    for message in error_messages(error):
        messages.error(request, message)


def show_on_form(form, error: Exception) -> None:
    """Field errors go to their fields where the form has them; the rest is said above the form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error_messages(error))
