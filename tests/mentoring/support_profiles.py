"""Builders the mentoring tests of profiles, requests and mentorships share."""

from __future__ import annotations

import datetime

from alumni.models import Province
from mentoring.models import Format, MentorProfile, Mentorship, Topic
from mentoring.services_requests import default_ends_on

from ..factories import AlumniProfileFactory, UserFactory


def topic(name: str) -> Topic:
    from django.utils.text import slugify

    found, _created = Topic.objects.get_or_create(code=slugify(name), defaults={"name": name})
    return found


def member(prodi, name: str, *, email: str | None = None, province=None, entry_year=2015):
    user = UserFactory(full_name=name, **({"email": email} if email else {}))
    user.language = "en"
    user.save(update_fields=["language"])
    extra = {"province": province} if province is not None else {}
    AlumniProfileFactory(user=user, study_program=prodi, full_name=name, entry_year=entry_year, **extra)
    return user


def mentor(user, *, topics=(), tags=(), capacity=2, formats=(Format.ONLINE,), province=None, field="",
           paused=False) -> MentorProfile:
    profile = MentorProfile.objects.create(user=user, tags=list(tags), capacity=capacity, formats=list(formats),
                                           province=province, field=field, paused=paused, about="Saya suka membantu.")
    profile.topics.set(topics)
    return profile


def mentorship(mentor_user, mentee, *, prodi=None, status=Mentorship.Status.ACTIVE, started=None) -> Mentorship:
    started = started or datetime.date.today()
    return Mentorship.objects.create(mentor=mentor_user, mentee=mentee, study_program=prodi, started_on=started,
                                     ends_on=default_ends_on(started), status=status)


def province(name: str) -> Province:
    """One of the provinces the data migration ships (the `provinces` fixture loads them again after a flush)."""
    return Province.objects.get(name=name)
