"""Taking over an association nobody runs: it waits for the municipality, who see who claimed it and why."""

import pytest
import rules
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import user_delete
from organizations import services
from organizations.models import Association, AssociationClaim, Membership
from tests.accounts.factories import UserFactory
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

REASON = "Jeg er leder i styret, valgt på årsmøtet i mars."


def _claim_url(association):
    return reverse("organizations:association_claim", args=[association.slug])


def _detail_url(association):
    return reverse("organizations:association_detail", args=[association.slug])


def _queue_url(municipality):
    return reverse("organizations:verification_queue", args=[municipality.number])


@pytest.fixture
def stranger(db):
    return UserFactory(full_name="Sigurd Fremmed", email="sigurd@example.org")


@pytest.fixture
def verified_unrun(municipality):
    """A verified association whose members have all gone: nobody runs it in the portal."""
    return AssociationFactory(municipality=municipality, name="Skogly skiklubb", status="verified")


def test_claiming_a_verified_association_sends_it_back_to_the_queue(client, stranger, verified_unrun):
    client.force_login(stranger)
    response = client.post(_claim_url(verified_unrun), {"reason": REASON})

    assert response.status_code == 302 and response.url == _detail_url(verified_unrun)
    verified_unrun.refresh_from_db()
    assert verified_unrun.status == Association.Status.PENDING
    claim = AssociationClaim.objects.get()
    assert (claim.association, claim.user, claim.reason, claim.decided_at) == (verified_unrun, stranger, REASON, None)
    assert claim.previous_status == "verified"
    assert verified_unrun.memberships.get().user == stranger
    assert not rules.has_perm("organizations.act_for_association", stranger, verified_unrun)
    # Out of the public directory until the municipality has looked at it.
    client.logout()
    assert client.get(_detail_url(verified_unrun)).status_code == 404


@pytest.mark.parametrize("reason", ["", "   ", "\r\n"])
def test_a_claim_needs_a_reason(client, stranger, verified_unrun, reason):
    client.force_login(stranger)
    response = client.post(_claim_url(verified_unrun), {"reason": reason})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        "Skriv kort hvorfor du tar over laget, slik at kommunen kan godkjenne det."
    ]
    assert "Skriv kort hvorfor du tar over laget" in response.content.decode()
    verified_unrun.refresh_from_db()
    assert verified_unrun.status == "verified"
    assert not verified_unrun.memberships.exists() and not AssociationClaim.objects.exists()


def test_the_claim_form_is_on_the_profile(client, stranger, verified_unrun):
    client.force_login(stranger)
    page = client.get(_detail_url(verified_unrun)).content.decode()
    assert f'action="{_claim_url(verified_unrun)}"' in page
    assert 'name="reason"' in page
    assert client.get(_claim_url(verified_unrun)).status_code == 200


def test_staff_see_who_claimed_it_and_why(client, stranger, verified_unrun, staff_user, municipality):
    services.association_claim(association=verified_unrun, user=stranger, reason="Kasserer siden 2021.\r\nRing meg.")
    client.force_login(staff_user)

    for url in (_queue_url(municipality), _detail_url(verified_unrun)):
        page = client.get(url).content.decode()
        assert "Skogly skiklubb" in page
        assert "Sigurd Fremmed" in page and "sigurd@example.org" in page
        assert "Kasserer siden 2021.<br>Ring meg." in page
        assert "Avvis overtakelsen" in page


def test_the_queue_shows_claims_in_the_same_number_of_queries(client, staff_user, municipality):
    def claim(count):
        for _ in range(count):
            services.association_claim(
                association=AssociationFactory(municipality=municipality, status="pending", source="brreg"),
                user=UserFactory(),
                reason=REASON,
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(_queue_url(municipality)).content.decode()
        return len(captured.captured_queries), page.count("Avvis overtakelsen")

    client.force_login(staff_user)
    claim(2)
    few, shown = queries()
    assert shown == 2
    claim(8)
    assert queries() == (few, 10)


def test_staff_verify_the_claim_and_the_claimant_may_act(
    client, stranger, verified_unrun, staff_user, django_capture_on_commit_callbacks
):
    services.association_claim(association=verified_unrun, user=stranger, reason=REASON)
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organizations:association_verify", args=[verified_unrun.slug]), {"next": "queue"})

    verified_unrun.refresh_from_db()
    claim = AssociationClaim.objects.get()
    assert verified_unrun.status == "verified"
    assert claim.approved is True and claim.decided_by == staff_user and claim.decided_at is not None
    assert rules.has_perm("organizations.act_for_association", stranger, verified_unrun)
    assert [m.to for m in mail.outbox] == [[stranger.email]]
    assert "er godkjent" in mail.outbox[0].subject


def test_rejecting_a_claim_removes_the_claimant_and_restores_the_association(
    client, stranger, verified_unrun, staff_user, django_capture_on_commit_callbacks
):
    services.association_claim(association=verified_unrun, user=stranger, reason=REASON)
    # Whoever joined through the claimant came in on the claim too.
    helper = MembershipFactory(association=verified_unrun, role=Membership.Role.MEMBER).user
    services.membership_invite(association=verified_unrun, email="ny@example.org", role="member", invited_by=stranger)
    mail.outbox.clear()
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organizations:association_reject", args=[verified_unrun.slug]),
            {"reason": "Styret kjenner ikke til deg.", "next": "queue"},
        )

    assert response.status_code == 302
    verified_unrun.refresh_from_db()
    assert verified_unrun.status == "verified"
    assert not verified_unrun.memberships.exists() and not verified_unrun.invitations.exists()
    claim = AssociationClaim.objects.get()
    assert claim.approved is False and claim.decided_by == staff_user
    assert not rules.has_perm("organizations.act_for_association", stranger, verified_unrun)
    assert not rules.has_perm("organizations.act_for_association", helper, verified_unrun)
    assert [m.to for m in mail.outbox] == [[stranger.email]]
    assert "Skogly skiklubb" in mail.outbox[0].subject
    assert "Styret kjenner ikke til deg." in mail.outbox[0].body
    # Someone the municipality knows can claim it again.
    assert rules.has_perm("organizations.claim_association", UserFactory(), verified_unrun)


def test_imported_association_claim_waits_for_staff_then_the_claimant_may_act(
    client, volunteer, staff_user, municipality
):
    imported = AssociationFactory(municipality=municipality, status="pending", source="brreg", name="Fjellbygda IL")
    client.force_login(volunteer)
    client.post(_claim_url(imported), {"reason": REASON})
    imported.refresh_from_db()
    assert imported.status == "pending" and imported.memberships.get().user == volunteer
    assert not rules.has_perm("organizations.act_for_association", volunteer, imported)
    page = client.get(_detail_url(imported)).content.decode()
    assert "Til kommunen har godkjent overtakelsen" in page

    client.force_login(staff_user)
    queue = client.get(_queue_url(municipality)).content.decode()
    assert "Fjellbygda IL" in queue and volunteer.email in queue and REASON in queue
    client.post(reverse("organizations:association_verify", args=[imported.slug]))

    imported.refresh_from_db()
    assert imported.status == "verified"
    assert rules.has_perm("organizations.act_for_association", volunteer, imported)


def test_rejecting_an_imported_claim_leaves_it_pending_and_claimable(volunteer, staff_user, municipality):
    imported = AssociationFactory(municipality=municipality, status="pending", source="brreg")
    services.association_claim(association=imported, user=volunteer, reason=REASON)
    services.association_reject(association=imported, by=staff_user, reason="Ikke i styret.")
    imported.refresh_from_db()
    assert imported.status == "pending" and not imported.memberships.exists()
    assert rules.has_perm("organizations.claim_association", UserFactory(), imported)


def test_nobody_acts_while_a_claim_is_open_even_if_the_association_is_verified(stranger, verified_unrun, staff_user):
    # Another way round the queue (say the Django admin) marks it verified: the open claim still holds.
    services.association_claim(association=verified_unrun, user=stranger, reason=REASON)
    Association.objects.filter(pk=verified_unrun.pk).update(status="verified")
    verified_unrun.refresh_from_db()
    invited = MembershipFactory(association=verified_unrun, role=Membership.Role.ADMIN).user
    assert not rules.has_perm("organizations.act_for_association", stranger, verified_unrun)
    assert not rules.has_perm("organizations.act_for_association", invited, verified_unrun)


def test_members_of_a_verified_association_act_for_it_as_before(municipality, volunteer):
    association = AssociationFactory(municipality=municipality)
    MembershipFactory(association=association, user=volunteer)
    assert rules.has_perm("organizations.act_for_association", volunteer, association)
    association.status = "pending"
    association.save()
    assert not rules.has_perm("organizations.act_for_association", volunteer, association)


def test_site_admins_see_claims_in_the_django_admin_but_do_not_make_them(client, site_admin, stranger, verified_unrun):
    services.association_claim(association=verified_unrun, user=stranger, reason=REASON)
    client.force_login(site_admin)
    page = client.get(reverse("admin:organizations_associationclaim_changelist")).content.decode()
    assert "Skogly skiklubb" in page and "Sigurd Fremmed" in page
    assert client.get(reverse("admin:organizations_associationclaim_add")).status_code == 403


def test_a_claimant_who_deletes_the_account_leaves_the_association_as_it_was(client, stranger, verified_unrun):
    services.association_claim(association=verified_unrun, user=stranger, reason=REASON)
    client.force_login(stranger)
    download = client.get(reverse("accounts:personal_data")).json()
    [taken] = download["organizations"]["associations_taken_over"]
    assert (taken["association"], taken["reason"], taken["approved"]) == ("Skogly skiklubb", REASON, None)

    user_delete(user=stranger)

    verified_unrun.refresh_from_db()
    assert verified_unrun.status == Association.Status.VERIFIED
    assert not verified_unrun.memberships.exists()
    assert not AssociationClaim.objects.exists()
    assert rules.has_perm("organizations.claim_association", UserFactory(), verified_unrun)
