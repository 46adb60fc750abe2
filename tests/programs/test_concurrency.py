"""Registrations racing for the last seats, on PostgreSQL: the session row lock keeps the count exact."""

import threading

import pytest
from django.db import close_old_connections, connection

from programs import services
from programs.models import Participation

from ..conftest import need
from ..factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 12
CAPACITY = 5


def run_together(targets):
    """Start every callable at the same instant (a barrier), each in its own thread with its own connection."""
    barrier = threading.Barrier(len(targets))
    errors = []

    def worker(target):
        try:
            barrier.wait(timeout=10)
            target()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_concurrent_registrations_never_overfill_a_session(provinces):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    session = SessionFactory(capacity=CAPACITY)
    people = [UserFactory() for _ in range(THREADS)]

    errors = run_together([lambda p=p: services.session_register(session=session, user=p) for p in people])

    assert errors == []
    counts = {
        status: Participation.objects.filter(session=session, status=status).count()
        for status in ("registered", "waitlisted")
    }
    assert counts == {"registered": CAPACITY, "waitlisted": THREADS - CAPACITY}


def test_concurrent_cancellations_promote_each_waitlisted_person_once(provinces):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    session = SessionFactory(capacity=CAPACITY)
    people = [UserFactory() for _ in range(CAPACITY + 4)]
    for person in people:
        services.session_register(session=session, user=person)

    leaving = people[:4]  # four seats free up at once; four people wait
    errors = run_together([lambda p=p: services.session_unregister(session=session, user=p) for p in leaving])

    assert errors == []
    registered = set(
        Participation.objects.filter(session=session, status="registered").values_list("user_id", flat=True)
    )
    assert registered == {p.pk for p in people[4:]}
    assert not Participation.objects.filter(session=session, status="waitlisted").exists()
