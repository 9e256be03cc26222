"""The embedded default mail backend: console and .eml files. Production sends with Django's SMTP backend."""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleBackend


class ConsoleAndFileBackend(ConsoleBackend):
    """Writes every message to the console and to EMAIL_FILE_PATH/<timestamp>-<id>.eml."""

    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_path = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        self.file_path.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
            target = self.file_path / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            target.write_bytes(message.message().as_bytes())
        return super().send_messages(email_messages)
