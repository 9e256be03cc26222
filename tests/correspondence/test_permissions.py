"""Roles × actions: who may see, edit, co-sign and follow up a working group's letters."""

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from correspondence import services
from correspondence.domain import may_cosign
from correspondence.models import DiscussionPoint, Letter
from tests.correspondence.factories import GroupMembershipFactory
from tests.organizations.factories import AssociationFactory, MembershipFactory
from tests.permission_matrix import EVERYONE, NOBODY, ROLES, allowed_roles, expected, outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(letter, roles):
    """The draft of the working group, which the group member of `roles` belongs to as well."""
    GroupMembershipFactory(group=letter.group, user=roles.users["group_member"])
    return letter


GROUP = {"group_member"}
DRAFT_VIEW = GROUP | {"site_admin"}
COLLECTING_VIEW = GROUP | {"association_admin", "site_admin"}
SENT_VIEW = GROUP | {"staff_here", "site_admin"}
# Who may see a letter but not change it gets 403; to the others an unsent letter does not exist.


def _outcomes(client, letter, *names):
    return [outcome(client.get(reverse(f"correspondence:{name}", args=[letter.pk]))) for name in names]


@pytest.mark.parametrize("role", ROLES)
def test_draft_is_seen_and_edited_by_members_only(as_role, letter, role):
    view, edit = _outcomes(as_role(role), letter, "letter_detail", "letter_edit")
    assert view == expected(role, DRAFT_VIEW, refused=404)
    assert edit == expected(role, GROUP, refused=403 if role in DRAFT_VIEW else 404)


@pytest.mark.parametrize("role", ROLES)
def test_letter_collecting_signatures_is_seen_by_association_admins(as_role, letter, group_leader, role):
    services.letter_open_for_signatures(letter=letter, user=group_leader)
    (view,) = _outcomes(as_role(role), letter, "letter_detail")
    assert view == expected(role, COLLECTING_VIEW, refused=404)


@pytest.mark.parametrize("role", ROLES)
def test_only_an_associations_admin_cosigns_for_it(as_role, roles, letter, group_leader, role):
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    association = roles.association
    data = {"association": association.pk, "signer_name": "Kari Nordmann", "signer_role": "styreleder"}
    as_role(role).post(reverse("correspondence:letter_sign", args=[letter.pk]), data)
    signed = letter.signatures.filter(association=association).exists()
    assert signed == (role == "association_admin")
    assert may_cosign(roles.users[role], letter, association) == (role == "association_admin")


@pytest.mark.parametrize("role", ROLES)
def test_sent_letter_is_seen_by_members_and_the_municipalitys_staff(
    as_role, letter, group_leader, role, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(letter=letter, user=group_leader)
    view, pdf, edit = _outcomes(as_role(role), letter, "letter_detail", "letter_pdf", "letter_edit")
    assert view == expected(role, SENT_VIEW, refused=404)
    # The file answers 404 to anyone who may not read the letter, signed in or not.
    assert pdf == expected(role, SENT_VIEW, refused=404, anonymous=404)
    assert edit == expected(role, NOBODY, refused=403 if role in SENT_VIEW else 404)


@pytest.mark.parametrize("role", ROLES)
def test_published_letter_is_public(as_role, letter, group_leader, role, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_send(letter=letter, user=group_leader)
    services.letter_set_published(letter=letter, user=group_leader, published=True)
    client = as_role(role)
    assert client.get(reverse("correspondence:letter_detail", args=[letter.pk])).status_code == 200
    page = client.get(reverse("correspondence:published", args=[letter.group.municipality.number]))
    assert letter.subject in page.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_group_page(as_role, letter, role):
    response = as_role(role).get(reverse("correspondence:group_detail", args=[letter.group.pk]))
    assert outcome(response) == expected(role, GROUP | {"staff_here", "site_admin"})


def test_staff_of_another_municipality_never_sees_the_group_in_lists(client, group, other_staff_user, staff_user):
    client.force_login(other_staff_user)
    assert group.name not in client.get(reverse("correspondence:groups")).content.decode()
    client.force_login(staff_user)
    assert group.name in client.get(reverse("correspondence:groups")).content.decode()


def test_nobody_edits_a_sent_letter(letter, group_leader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_send(letter=letter, user=group_leader)
    with pytest.raises(ValidationError):
        services.letter_update(letter=letter, user=group_leader, parts={"subject": "Endret"})
    with pytest.raises(ValidationError):
        services.letter_set_language(letter=letter, user=group_leader, language="nn")
    # Past the services too: the model refuses to save changed parts of a sent letter.
    stored = Letter.objects.get(pk=letter.pk)
    stored.subject = "Endret i skallet"
    with pytest.raises(ValidationError):
        stored.save()
    with pytest.raises(ValidationError):
        DiscussionPoint.objects.create(letter=letter, text="Sneket inn")
    with pytest.raises(ValidationError):
        letter.points.first().delete()
    assert Letter.objects.get(pk=letter.pk).subject == letter.subject


def test_non_members_cannot_use_the_services(letter, volunteer):
    with pytest.raises(PermissionDenied):
        services.letter_update(letter=letter, user=volunteer, parts={"subject": "Kapret"})
    with pytest.raises(PermissionDenied):
        services.letter_open_for_signatures(letter=letter, user=volunteer)
    with pytest.raises(PermissionDenied):
        services.letter_send(letter=letter, user=volunteer)


def test_association_in_another_municipality_cannot_cosign(letter, group_leader, other_municipality):
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    foreign = MembershipFactory(association=AssociationFactory(municipality=other_municipality), role="admin")
    with pytest.raises(PermissionDenied):
        services.letter_sign(letter=letter, association=foreign.association, user=foreign.user)


def test_unverified_association_cannot_cosign(letter, group_leader):
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    pending = MembershipFactory(
        association=AssociationFactory(municipality=letter.group.municipality, status="pending"), role="admin"
    )
    assert not may_cosign(pending.user, letter, pending.association)


def test_draft_cannot_be_signed_before_it_is_opened(letter, association_admin):
    admin, association = association_admin
    with pytest.raises(PermissionDenied):
        services.letter_sign(letter=letter, association=association, user=admin)


def test_signatories_in_signing_order_and_withdrawal_until_sent(
    letter, group_leader, association_admin, django_capture_on_commit_callbacks
):
    admin, first = association_admin
    second = MembershipFactory(association=AssociationFactory(municipality=letter.group.municipality), role="admin")
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    services.letter_sign(letter=letter, association=second.association, user=second.user)
    services.letter_sign(letter=letter, association=first, user=admin)
    assert [s.association for s in letter.signatures.all()] == [second.association, first]
    services.letter_withdraw_signature(letter=letter, association=second.association, user=second.user)
    services.letter_sign(letter=letter, association=second.association, user=second.user)
    assert [s.association for s in letter.signatures.all()] == [first, second.association]
    with pytest.raises(PermissionDenied):
        services.letter_withdraw_signature(letter=letter, association=first, user=second.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(letter=letter, user=group_leader)
    with pytest.raises(ValidationError):
        services.letter_withdraw_signature(letter=letter, association=first, user=admin)
    assert letter.signatures.count() == 2


def test_cosigner_withdraws_after_the_letter_went_back_to_draft(client, letter, group_leader, association_admin):
    admin, association = association_admin
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    services.letter_sign(letter=letter, association=association, user=admin)
    services.letter_close_for_signatures(letter=letter, user=group_leader)
    client.force_login(admin)

    page = client.get(reverse("correspondence:letter_detail", args=[letter.pk]))
    assert page.status_code == 200
    assert "Trekk underskriften fra Nabolagskoret" in page.content.decode()
    response = client.post(reverse("correspondence:letter_withdraw", args=[letter.pk, association.pk]))

    assert response.status_code == 302
    assert not letter.signatures.exists()


@pytest.mark.parametrize("role", ROLES)
def test_withdraw_signature_rule_in_draft(roles, letter, group_leader, role):
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    services.letter_sign(letter=letter, association=roles.association, user=roles.users["association_admin"])
    services.letter_close_for_signatures(letter=letter, user=group_leader)
    allowed = rules.has_perm("correspondence.withdraw_signature", roles.users[role], letter)
    assert allowed is (role == "association_admin")


def test_nobody_withdraws_from_a_sent_letter(
    letter, group_leader, association_admin, django_capture_on_commit_callbacks
):
    admin, association = association_admin
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    services.letter_sign(letter=letter, association=association, user=admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(letter=letter, user=group_leader)
    letter.refresh_from_db()
    assert not rules.has_perm("correspondence.withdraw_signature", admin, letter)


# The rules themselves, for the roles of tests/permission_matrix.py -------------------------------


def _letter_in(roles, status, *, signed=False, published=False):
    letter = services.letter_create(group=roles.group, user=roles.users["group_member"])
    if signed:
        Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.COLLECTING)
        letter.refresh_from_db()
        services.letter_sign(letter=letter, association=roles.association, user=roles.users["association_admin"])
    sent = {"sent_at": timezone.now(), "reference": f"ROLLE-{letter.pk}"} if status == Letter.Status.SENT else {}
    Letter.objects.filter(pk=letter.pk).update(status=status, published=published, **sent)
    letter.refresh_from_db()
    return letter


RULE_OBJECTS = {
    "group": lambda roles: roles.group,
    "association": lambda roles: roles.association,
    "draft": lambda roles: _letter_in(roles, Letter.Status.DRAFT),
    "collecting": lambda roles: _letter_in(roles, Letter.Status.COLLECTING),
    "collecting, co-signed": lambda roles: _letter_in(roles, Letter.Status.COLLECTING, signed=True),
    "draft again, co-signed": lambda roles: _letter_in(roles, Letter.Status.DRAFT, signed=True),
    "sent": lambda roles: _letter_in(roles, Letter.Status.SENT),
    "sent, co-signed": lambda roles: _letter_in(roles, Letter.Status.SENT, signed=True),
    "published": lambda roles: _letter_in(roles, Letter.Status.SENT, published=True),
}

GROUP = {"group_member"}
RULE_MATRIX = [
    # (rule, object, roles the rule allows)
    ("correspondence.view_group", "group", GROUP | {"staff_here", "site_admin"}),
    ("correspondence.view_group_unsent_letters", "group", GROUP | {"site_admin"}),
    ("correspondence.change_group", "group", GROUP),
    ("correspondence.view_letter", "draft", GROUP | {"site_admin"}),
    ("correspondence.view_letter", "collecting", GROUP | {"association_admin", "site_admin"}),
    ("correspondence.view_letter", "draft again, co-signed", GROUP | {"association_admin", "site_admin"}),
    ("correspondence.view_letter", "sent", GROUP | {"staff_here", "site_admin"}),
    ("correspondence.view_letter", "published", EVERYONE),
    ("correspondence.change_letter", "draft", GROUP),
    ("correspondence.change_letter", "sent", NOBODY),
    ("correspondence.send_letter", "draft", GROUP),
    ("correspondence.send_letter", "sent", NOBODY),
    ("correspondence.delete_letter", "draft", GROUP),
    ("correspondence.delete_letter", "collecting, co-signed", GROUP),
    ("correspondence.delete_letter", "sent", NOBODY),
    ("correspondence.track_letter", "sent", GROUP),
    ("correspondence.track_letter", "draft", NOBODY),
    ("correspondence.cosign_letter", "collecting", {"association_admin"}),
    ("correspondence.cosign_letter", "draft", NOBODY),
    ("correspondence.withdraw_signature", "collecting, co-signed", {"association_admin"}),
    ("correspondence.withdraw_signature", "sent, co-signed", NOBODY),
    (
        "correspondence.view_association_letters",
        "association",
        {"association_member", "association_admin"} | {"staff_here", "site_admin"},
    ),
]


@pytest.mark.parametrize(
    ("perm", "target", "allowed"), RULE_MATRIX, ids=[f"{perm}-{target}" for perm, target, _ in RULE_MATRIX]
)
def test_rule_matrix(roles, perm, target, allowed):
    assert allowed_roles(roles, perm, RULE_OBJECTS[target](roles)) == set(allowed)


# An unsent letter is not there for those who may not see it -----------------------------------

UNSENT_LETTER_URLS = [
    "correspondence:letter_detail",
    "correspondence:letter_edit",
    "correspondence:letter_delete",
    "correspondence:letter_pdf",
    "correspondence:letter_docx",
    "correspondence:follow_up",
]


@pytest.mark.parametrize("name", UNSENT_LETTER_URLS)
@pytest.mark.parametrize("role", ["stranger", "association_member", "staff_here", "staff_elsewhere"])
def test_unsent_letter_answers_404_to_those_who_may_not_see_it(client, roles, role, name):
    letter = _letter_in(roles, Letter.Status.DRAFT)
    client.force_login(roles.users[role])
    assert client.get(reverse(name, args=[letter.pk])).status_code == 404


@pytest.mark.parametrize("name", ["correspondence:letter_pdf", "correspondence:letter_docx"])
def test_unsent_letter_files_answer_404_to_anonymous(client, roles, name):
    letter = _letter_in(roles, Letter.Status.COLLECTING)
    assert client.get(reverse(name, args=[letter.pk])).status_code == 404


def test_signed_out_reader_of_an_unsent_letter_is_sent_to_sign_in_as_for_any_letter(client, roles):
    # Links in emails reach people signed out; the login page is the answer whether the letter
    # exists or not, so it tells nothing about letters the reader may not see.
    letter = _letter_in(roles, Letter.Status.COLLECTING)
    hidden = client.get(reverse("correspondence:letter_detail", args=[letter.pk]))
    missing = client.get(reverse("correspondence:letter_detail", args=[letter.pk + 1000]))
    assert "/konto/login/" in hidden.url
    assert "/konto/login/" in missing.url


def test_who_may_see_a_letter_but_not_change_it_gets_403(client, roles):
    letter = _letter_in(roles, Letter.Status.COLLECTING)
    client.force_login(roles.users["association_admin"])
    assert client.get(reverse("correspondence:letter_edit", args=[letter.pk])).status_code == 403
