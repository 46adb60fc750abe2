"""Permission-matrix rows of the community help pages (collected by tests/community/test_permissions.py).

ROWS: {url name: (method, object key or None, {persona: status or LOGIN})}, every persona of PERSONAS.
objects(p): builds the objects the rows name, from p = {persona name: user, "prodi_x": …, "prodi_y": …}.

The group "Komunitas SLiMS Uji Bantuan" (of prodi X): alumnus A is its admin, the student Dewi a member who asked
the question (A answered it); alumnus B is a verified member of the portal but not of the group. Its questions are
read by its members and moderators (staff X, the institution admin); members write; the asker alone marks, closes
and reopens. Skills are for members; help categories for staff and admins.
"""

from __future__ import annotations

from django.utils import timezone

from community import services_help
from community.models import Group, HelpAnswer, HelpCategory, HelpRequest, Membership

LOGIN = "login"


def _row(**allowed) -> dict:
    base = {p: 403 for p in ("alumnus_a", "alumnus_b", "pending", "staff_x", "staff_y", "admin_user", "employer",
                             "student")}
    base["anonymous"] = LOGIN
    base.update(allowed)
    return base


_READERS = _row(alumnus_a=200, student=200, staff_x=200, admin_user=200)
_WRITERS = _row(alumnus_a=200, student=200)
_ASKER = _row(student=302)
_MEMBERS = _row(alumnus_a=200, alumnus_b=200, student=200)
_STAFF = _row(staff_x=200, staff_y=200, admin_user=200)

ROWS: dict = {
    "community:questions": ("get", "help_group", _READERS),
    "community:question_new": ("get", "help_group", _WRITERS),
    "community:question_detail": ("get", "help_question", _READERS),
    "community:answer_new": ("post", "help_question", _WRITERS),
    "community:question_solved": ("post", "help_question", _ASKER),
    "community:question_close": ("post", "help_question", _ASKER),
    "community:question_reopen": ("post", "help_question", _ASKER),
    "community:skills": ("get", None, _MEMBERS),
    "community:help_categories": ("get", None, _STAFF),
}


def help_group(prodi, *, name="Komunitas SLiMS Uji Bantuan", slug="slims-uji-bantuan", admins=(), members=()):
    group = Group.objects.create(kind=Group.Kind.INTEREST, name=name, slug=slug, study_program=prodi)
    now = timezone.now() - timezone.timedelta(days=30)
    for user in admins:
        Membership.objects.create(group=group, user=user, role=Membership.Role.ADMIN, joined_at=now)
    for user in members:
        Membership.objects.create(group=group, user=user, joined_at=now)
    return group


def category(code="instalasi-slims") -> HelpCategory:
    # A transactional test before this one may have flushed what the migration installed.
    return services_help.default_categories_ensure()[code]


def objects(p: dict) -> dict:
    group = help_group(p["prodi_x"], admins=[p["alumnus_a"]], members=[p["student"]])
    question = HelpRequest.objects.create(group=group, asker=p["student"], category=category(),
                                          title="SLiMS 9 tidak bisa login setelah upgrade", body="PHP 8.1")
    HelpAnswer.objects.create(request=question, author=p["alumnus_a"], body="Hapus cache sysconfig.")
    return {"help_group": group.slug, "help_question": question}
