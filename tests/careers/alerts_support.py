"""Shared helpers of the alerts, digest, ticks and privacy tests of careers: posts, alerts and consent."""

from __future__ import annotations

import datetime

from django.utils import timezone

from alumni.models import Consent, Province
from alumni.privacy import CONSENT_WORDING
from careers.models import JobAlert, JobPost, JobPostTarget
from careers.organisations import organisation_resolve

from ..factories import AlumniProfileFactory, UserFactory


def today() -> datetime.date:
    return timezone.localdate()


def day(offset: int) -> datetime.date:
    return today() + datetime.timedelta(days=offset)


def province(code: str) -> Province:
    return Province.objects.get_or_create(code=code, defaults={"name": f"Provinsi {code}"})[0]


def post(*, by, programs=(), pending=(), title="Pustakawan", organisation="PT Pustaka Digital Nusantara",
         field="library", kind="full_time", province_code=None, remote=False, closing=7, created_days_ago=1,
         status=JobPost.Status.OPEN, poster_kind=JobPost.PosterKind.MEMBER, **extra) -> JobPost:
    """A post approved for `programs` and pending for `pending`, created `created_days_ago` days ago, closing
    `closing` days from today (an int) or on that date."""
    closing_date = day(closing) if isinstance(closing, int) else closing
    job = JobPost.objects.create(
        title=title, organisation=organisation_resolve(name=organisation), field=field, kind=kind,
        province=province(province_code) if province_code else None, remote=remote, closing_date=closing_date,
        posted_by=by, poster_kind=poster_kind, status=status,
        created_at=timezone.now() - datetime.timedelta(days=created_days_ago), **extra,
    )
    JobPostTarget.objects.bulk_create(
        [JobPostTarget(post=job, study_program=p, state=JobPostTarget.State.APPROVED) for p in programs]
        + [JobPostTarget(post=job, study_program=p, state=JobPostTarget.State.PENDING) for p in pending]
    )
    return job


def consent(user, granted: bool = True) -> Consent:
    return Consent.objects.create(user=user, purpose=Consent.Purpose.CAREER, granted=granted,
                                  wording_version=CONSENT_WORDING[Consent.Purpose.CAREER][0])


def alert(user, *, frequency=JobAlert.Frequency.WEEKLY, **kwargs) -> JobAlert:
    return JobAlert.objects.update_or_create(user=user, defaults={"frequency": frequency, **kwargs})[0]


def member(prodi, *, email: str, language: str = "id", student: bool = False, verification="verified",
           with_consent: bool = True, with_alert: bool = True, **alert_kwargs):
    """A member of `prodi` with a weekly alert (any post) and the career consent, unless told otherwise."""
    user = UserFactory(email=email, full_name=email.split("@")[0].title(), language=language)
    AlumniProfileFactory(user=user, study_program=prodi, verification=verification,
                         graduation_date=None if student else datetime.date(2019, 8, 25))
    if with_consent:
        consent(user)
    if with_alert:
        alert(user, **alert_kwargs)
    return user
