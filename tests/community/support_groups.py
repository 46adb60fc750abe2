"""Helpers of the groups, posts and moderation tests: small pictures, a community with an admin and members, people
of a cohort."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from community import services_groups
from community.models import Group, Membership
from tests.factories import AlumniProfileFactory, UserFactory


def png(name: str = "pic.png", size=(8, 8), color=(200, 30, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def community(prodi, admin, *, members=(), name="Komunitas SLiMS Kediri Raya", slug="komunitas-slims",
              join_policy=Group.JoinPolicy.REQUEST, status=Group.Status.ACTIVE) -> Group:
    group = Group.objects.create(kind=Group.Kind.INTEREST, name=name, slug=slug, study_program=prodi,
                                 institution=prodi.faculty.institution, join_policy=join_policy, status=status,
                                 created_by=admin, description="Pengguna SLiMS di Kediri dan sekitarnya.")
    services_groups.member_add(group=group, user=admin, role=Membership.Role.ADMIN)
    for user in members:
        services_groups.member_add(group=group, user=user)
    # Long-standing members: the new members' rate limit has its own tests.
    group.memberships.update(joined_at=timezone.now() - timedelta(days=60))
    return group


def people(prodi, n: int, *, start: int = 0, entry_year: int = 2016, prefix: str = "p"):
    out = []
    for i in range(start, start + n):
        user = UserFactory(email=f"{prefix}{i}@example.org", full_name=f"Orang {prefix}{i}")
        AlumniProfileFactory(user=user, study_program=prodi, nim=f"{prefix}{entry_year}{i:05d}",
                             entry_year=entry_year)
        out.append(user)
    return out
