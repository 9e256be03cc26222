"""Roles × actions: who may see, edit, co-sign and follow up a working group's letters."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from correspondence import services
from correspondence.domain import may_cosign
from correspondence.models import DiscussionPoint, Letter
from organizations.models import Membership
from tests.accounts.factories import UserFactory
from tests.correspondence.factories import GroupMembershipFactory
from tests.organizations.factories import AssociationFactory, MembershipFactory
from tests.permission_matrix import EVERYONE, NOBODY, allowed_roles

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "volunteer",
    "group_member",
    "org_member",
    "org_admin",
    "staff",
    "other_staff",
    "site_admin",
]


@pytest.fixture
def people(group, volunteer, staff_user, other_staff_user, site_admin):
    member = UserFactory(full_name="Gro Gruppemedlem")
    GroupMembershipFactory(group=group, user=member)
    association = AssociationFactory(municipality=group.municipality, name="Sjakklubben")
    org_member = MembershipFactory(association=association).user
    org_admin = MembershipFactory(association=association, role=Membership.Role.ADMIN).user
    return {
        "anonymous": None,
        "volunteer": volunteer,
        "group_member": member,
        "org_member": org_member,
        "org_admin": org_admin,
        "staff": staff_user,
        "other_staff": other_staff_user,
        "site_admin": site_admin,
        "association": association,
    }


def _client(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])
    return client


def _status(response):
    if response.status_code == 302 and "/konto/login/" in response.url:
        return "login"
    return response.status_code


DRAFT_VIEW = {"group_member": 200, "site_admin": 200}
COLLECTING_VIEW = {"group_member": 200, "org_admin": 200, "site_admin": 200}
SENT_VIEW = {"group_member": 200, "staff": 200, "site_admin": 200}
EDIT = {"group_member": 200}


@pytest.mark.parametrize("role", ROLES)
def test_draft_is_seen_and_edited_by_members_only(client, people, letter, role):
    client = _client(client, people, role)
    view = _status(client.get(reverse("correspondence:letter_detail", args=[letter.pk])))
    edit = _status(client.get(reverse("correspondence:letter_edit", args=[letter.pk])))
    hidden = "login" if role == "anonymous" else 404
    assert view == DRAFT_VIEW.get(role, hidden)
    assert edit == EDIT.get(role, 403 if role in DRAFT_VIEW else hidden)


@pytest.mark.parametrize("role", ROLES)
def test_letter_collecting_signatures_is_seen_by_association_admins(client, people, letter, group_leader, role):
    services.letter_open_for_signatures(letter=letter, user=group_leader)
    client = _client(client, people, role)
    view = _status(client.get(reverse("correspondence:letter_detail", args=[letter.pk])))
    assert view == COLLECTING_VIEW.get(role, "login" if role == "anonymous" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_only_an_associations_admin_cosigns_for_it(client, people, letter, group_leader, role):
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    association = people["association"]
    client = _client(client, people, role)
    data = {"association": association.pk, "signer_name": "Kari Nordmann", "signer_role": "styreleder"}
    client.post(reverse("correspondence:letter_sign", args=[letter.pk]), data)
    signed = letter.signatures.filter(association=association).exists()
    assert signed == (role == "org_admin")
    if people[role] is not None:
        assert may_cosign(people[role], letter, association) == (role == "org_admin")


@pytest.mark.parametrize("role", ROLES)
def test_sent_letter_is_seen_by_members_and_the_municipalitys_staff(
    client, people, letter, group_leader, role, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(letter=letter, user=group_leader)
    client = _client(client, people, role)
    view = _status(client.get(reverse("correspondence:letter_detail", args=[letter.pk])))
    pdf = _status(client.get(reverse("correspondence:letter_pdf", args=[letter.pk])))
    edit = _status(client.get(reverse("correspondence:letter_edit", args=[letter.pk])))
    expected = SENT_VIEW.get(role, "login" if role == "anonymous" else 404)
    assert view == expected
    assert pdf == (expected if expected != "login" else 404)
    assert edit == (403 if role in SENT_VIEW else expected)


@pytest.mark.parametrize("role", ROLES)
def test_published_letter_is_public(client, people, letter, group_leader, role, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_send(letter=letter, user=group_leader)
    services.letter_set_published(letter=letter, user=group_leader, published=True)
    client = _client(client, people, role)
    assert client.get(reverse("correspondence:letter_detail", args=[letter.pk])).status_code == 200
    page = client.get(reverse("correspondence:published", args=[letter.group.municipality.number]))
    assert letter.subject in page.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_group_page(client, people, group, role):
    client = _client(client, people, role)
    status = _status(client.get(reverse("correspondence:group_detail", args=[group.pk])))
    expected = {"group_member": 200, "staff": 200, "site_admin": 200}
    assert status == expected.get(role, "login" if role == "anonymous" else 403)


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


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("anonymous", False),
        ("volunteer", False),
        ("group_member", False),
        ("org_member", False),
        ("org_admin", True),
        ("staff", False),
        ("other_staff", False),
        ("site_admin", False),
    ],
)
def test_withdraw_signature_rule_in_draft(people, letter, group_leader, role, allowed):
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    org_admin = people["org_admin"]
    services.letter_sign(letter=letter, association=people["association"], user=org_admin)
    services.letter_close_for_signatures(letter=letter, user=group_leader)
    user = people[role] or AnonymousUser()
    assert rules.has_perm("correspondence.withdraw_signature", user, letter) is allowed


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
