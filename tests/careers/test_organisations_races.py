"""Staff acting at the same moment, on PostgreSQL: an employer-contact request is decided once (one email), and two
merges of the same pair in opposite directions leave exactly one organisation, without a deadlock."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from careers.models import EmployerContact, Organisation
from careers.organisations import organisation_merge, organisation_resolve
from careers.services_employers import employer_apply, employer_approve, employer_refuse
from core.models import Notification

from ..conftest import need
from ..factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(targets):
    """Start every callable at the same instant, each in its own thread and connection; return what they raised."""
    barrier = threading.Barrier(len(targets))
    errors: list = []

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


def test_two_staff_deciding_one_request_at_once_decide_it_once(prodi_x, staff_x, admin_user):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    recruiter = UserFactory(email="race@penerbit.example")
    contact = employer_apply(user=recruiter, organisation_name="PT Penerbit Balapan", position="HR", phone="",
                             study_program=prodi_x)

    errors = run_together([
        lambda: employer_approve(contact=contact, by=staff_x),
        lambda: employer_refuse(contact=contact, by=admin_user, reason="Bukan email kantor."),
    ])

    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    contact.refresh_from_db()
    assert contact.status in (EmployerContact.Status.APPROVED, EmployerContact.Status.REFUSED)
    assert Notification.objects.filter(recipient=recruiter).count() == 1


def test_two_opposite_merges_of_one_pair_leave_one_organisation(staff_x, staff_y):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    a = organisation_resolve(name="Perpustakaan Kota Balapan")
    b = organisation_resolve(name="Perpus Kota Balapan")

    errors = run_together([
        lambda: organisation_merge(keep=a, duplicate=b, by=staff_x),
        lambda: organisation_merge(keep=b, duplicate=a, by=staff_y),
    ])

    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    [left] = Organisation.objects.filter(pk__in=[a.pk, b.pk])
    assert left.aliases.count() == 1
