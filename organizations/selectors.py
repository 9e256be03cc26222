from .models import Municipality


def municipalities_for_staff(*, user):
    """The municipalities whose staff pages the user may open."""
    if not user.is_authenticated:
        return Municipality.objects.none()
    if user.is_superuser:
        return Municipality.objects.filter(active=True)
    return Municipality.objects.filter(staff__user=user)
