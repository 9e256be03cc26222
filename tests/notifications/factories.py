import factory
from django.utils import timezone

from notifications.mailer import message_id_new
from notifications.models import NotificationSettings, OutgoingEmail
from tests.accounts.factories import UserFactory
from tests.notifications.kinds import GREETING


class OutgoingEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutgoingEmail

    kind = GREETING.key
    recipient_user = factory.SubFactory(UserFactory)
    recipient_email = factory.LazyAttribute(lambda email: email.recipient_user.email)
    occasion = factory.Sequence(lambda n: f"occasion-{n}")
    context = factory.LazyFunction(lambda: {"name": "Vera"})
    message_id = factory.LazyFunction(message_id_new)
    enqueued_at = factory.LazyFunction(timezone.now)


class NotificationSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationSettings

    user = factory.SubFactory(UserFactory)
    reminders = False
