"""Builders of the rounds tests: topics, members, mentors with a profile, and a round opened by staff through the
service (deadline a week ahead unless told)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mentoring import services_rounds
from mentoring.models import Format, MentorProfile, Topic

from ..factories import AlumniProfileFactory, ProgramFactory, UserFactory


def topics() -> dict[str, Topic]:
    made = {}
    for code, name in (("riset", "Riset skripsi"), ("slims", "Otomasi perpustakaan/SLiMS"),
                       ("karier", "Karier di perpustakaan"), ("beasiswa", "Beasiswa S2")):
        made[code], _ = Topic.objects.get_or_create(code=code, defaults={"name": name})
    return made


def member(prodi, name, *, email=None, province=None, graduated=True):
    user = UserFactory(full_name=name, email=email or f"{name.lower().replace(' ', '.')}@example.org",
                       language="en")
    AlumniProfileFactory(user=user, study_program=prodi, full_name=name, province=province,
                         graduation_date=datetime.date(2019, 8, 25) if graduated else None)
    return user


def make_mentor(user, topic_list, *, capacity=3, formats=(Format.ONLINE,), province=None, field="", paused=False):
    profile, _ = MentorProfile.objects.update_or_create(user=user, defaults={
        "capacity": capacity, "formats": list(formats), "province": province, "field": field, "paused": paused,
    })
    profile.topics.set(topic_list)
    return profile


def mentoring_program(prodi, **kw):
    return ProgramFactory(study_program=prodi, title=kw.pop("title", "Mentoring Riset Skripsi"), **kw)


def open_round(staff, prodi, topic_list=(), *, days=7, months=3, title="Mentoring Riset Skripsi 2027/1",
               program=None):
    program = program or mentoring_program(prodi)
    return services_rounds.round_create(
        by=staff, program=program, title=title, topic_ids=[t.pk for t in topic_list],
        deadline=timezone.now() + datetime.timedelta(days=days), mentorship_months=months,
    )


def after_deadline(round_):
    return round_.deadline + datetime.timedelta(minutes=1)
