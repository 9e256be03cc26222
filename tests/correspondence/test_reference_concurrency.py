import threading

import pytest
from django.db import connection

from correspondence.services import reference_allocate
from tests.services import require_postgresql

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_concurrent_allocations_never_share_a_reference():
    require_postgresql()
    results, errors = [], []
    start = threading.Barrier(8)

    def allocate():
        try:
            start.wait()
            for _ in range(5):
                results.append(reference_allocate(year=2031))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [f"DP-2031-{n:04d}" for n in range(1, 41)]
