"""Who may do what with municipalities (django-rules). Later apps follow the same pattern."""

import rules


@rules.predicate
def is_site_admin(user):
    return user.is_superuser


@rules.predicate
def is_staff_of(user, municipality):
    if municipality is None or not user.is_authenticated:
        return False
    return municipality.staff.filter(user=user).exists()


@rules.predicate
def is_municipal_staff(user):
    return user.is_authenticated and user.staff_roles.exists()


rules.add_perm("organizations.change_municipality_contact", is_staff_of | is_site_admin)
rules.add_perm("organizations.view_staff_pages", is_municipal_staff | is_site_admin)
