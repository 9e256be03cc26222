"""Record emails the way the portal's pages do, in a process of its own (for the integration tests).

python -m tests.integration.notify_actor --count 200 --prefix run1 [--together]
With --together, all of them in one transaction (as a reminder sweep records them). Prints one
JSON line: how many were recorded and the slowest and total time of the recording.
"""

import argparse
import contextlib
import json
import os
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--together", action="store_true")
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialog_portal.settings")
    import django

    django.setup()
    from django.db import transaction

    recorded, slowest, started = 0, 0.0, time.monotonic()
    together = transaction.atomic() if options.together else contextlib.nullcontext()
    with together:
        recorded, slowest = _record(options, transaction)
    print(json.dumps({"recorded": recorded, "slowest": slowest, "total": time.monotonic() - started}))


def _record(options, transaction):
    from notifications.emails import TEST_MESSAGE
    from notifications.services import email_enqueue

    recorded, slowest = 0, 0.0
    for number in range(options.count):
        began = time.monotonic()
        with transaction.atomic():
            email = email_enqueue(
                kind=TEST_MESSAGE.key,
                recipient=f"{options.prefix}-{number}@example.org",
                occasion=options.prefix,
                context={"note": f"{options.prefix} {number}"},
            )
        slowest = max(slowest, time.monotonic() - began)
        recorded += email is not None
    return recorded, slowest


if __name__ == "__main__":
    main()
