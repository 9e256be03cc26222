import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from notifications.models import NotificationSettings, OutgoingEmail
from notifications.services import email_enqueue, reminders_enabled
from tests.accounts.factories import UserFactory
from tests.notifications.factories import OutgoingEmailFactory
from tests.notifications.kinds import REMINDER

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/min-side/varsler/"


def test_settings_page_needs_login(client):
    response = client.get(SETTINGS_URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_profile_links_to_the_settings_page(client, volunteer):
    client.force_login(volunteer)
    response = client.get(reverse("accounts:profile"))
    assert f'href="{SETTINGS_URL}"' in response.content.decode()


def test_user_sees_reminders_on_and_the_kinds_explained(client, volunteer):
    client.force_login(volunteer)
    response = client.get(SETTINGS_URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="reminders"' in page
    assert "checked" in page
    assert "Påminnelse" in page  # the test reminder kind's description
    assert "E-post du alltid får" in page
    assert not NotificationSettings.objects.exists()


def test_user_turns_reminders_off_and_gets_none(client, volunteer, django_capture_on_commit_callbacks):
    client.force_login(volunteer)
    response = client.post(SETTINGS_URL, {}, follow=True)
    assert "Varslingsinnstillingene er lagret." in response.content.decode()
    assert reminders_enabled(user=volunteer) is False
    with django_capture_on_commit_callbacks(execute=True):
        assert email_enqueue(kind=REMINDER.key, recipient=volunteer, context={"what": "møtet"}) is None
    assert mail.outbox == []


def test_user_turns_reminders_back_on(client, volunteer):
    NotificationSettings.objects.create(user=volunteer, reminders=False)
    client.force_login(volunteer)
    client.post(SETTINGS_URL, {"reminders": "on"})
    assert reminders_enabled(user=volunteer) is True
    assert NotificationSettings.objects.count() == 1


def test_settings_page_in_english(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    response = client.get(SETTINGS_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200


def test_site_admin_sees_failed_emails_with_the_error(client, site_admin):
    OutgoingEmailFactory(
        recipient_email="feil@example.org", state=OutgoingEmail.State.FAILED, last_error="SMTPDataError: 554 nope"
    )
    client.force_login(site_admin)
    response = client.get(reverse("admin:notifications_outgoingemail_changelist") + "?state__exact=failed")
    page = response.content.decode()
    assert response.status_code == 200
    assert "feil@example.org" in page
    assert "SMTPDataError: 554 nope" in page


def test_site_admin_sends_a_failed_email_again(client, site_admin, django_capture_on_commit_callbacks):
    email = OutgoingEmailFactory(state=OutgoingEmail.State.FAILED, attempts=6, last_error="boom")
    client.force_login(site_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_outgoingemail_changelist"),
            {"action": "send_again", "_selected_action": [email.pk]},
            follow=True,
        )
    assert response.status_code == 200
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT
    assert len(mail.outbox) == 1


def test_volunteer_cannot_see_the_outbox(client, volunteer):
    client.force_login(volunteer)
    response = client.get(reverse("admin:notifications_outgoingemail_changelist"))
    assert response.status_code == 302


def test_site_admin_opens_one_email(client, site_admin):
    email = OutgoingEmailFactory()
    client.force_login(site_admin)
    response = client.get(reverse("admin:notifications_outgoingemail_change", args=[email.pk]))
    assert response.status_code == 200
    assert escape(email.message_id) in response.content.decode()


def test_site_admin_never_reads_the_links_of_account_emails(client, site_admin):
    reset = OutgoingEmailFactory(
        kind="accounts.account_message",
        context={"subject": "Nytt passord", "body": "https://dialog.example.no/konto/passord/nullstill/abc-123/"},
    )
    ordinary = OutgoingEmailFactory(context={"name": "Vera Vanlig"})
    client.force_login(site_admin)
    page = client.get(reverse("admin:notifications_outgoingemail_change", args=[reset.pk])).content.decode()
    assert "abc-123" not in page
    assert "Skjult: e-posten har lenker som bare mottakeren skal se." in page
    page = client.get(reverse("admin:notifications_outgoingemail_change", args=[ordinary.pk])).content.decode()
    assert "Vera Vanlig" in page
