"""Permission-matrix rows of the careers posts pages (collected by tests/careers/test_permissions.py).

ROWS: {url name: (method, object key or None, {persona: status or LOGIN})}, every persona of PERSONAS.
objects(p): builds the objects the rows name, from p = {persona name: user, "prodi_x": …, "prodi_y": …}.

The objects: `open_xy`, an open post by alumnus B for prodi X (approved: his own) and prodi Y (pending);
`open_x`, an open post by alumnus B for prodi X only (A reports it in the rows); `hidden`, a post by B hidden after
reports; `closed`, a post by B that closed; `employer_post`, the employer contact's post waiting for staff X.

Decisions: the job list is for verified members and staff; an employer contact is sent to their own posts (302),
a pending person to their profile (302), a visitor to the login page. Writing a post: 403 for a pending person
(and anyone the posting rule leaves out). Staff of prodi Y never decide a target of prodi X (404).

Also: `make_post`, the tests' quick way to a post with targets in given states (no service, no audit).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from careers.models import Field, JobPost, JobPostTarget
from careers.organisations import organisation_resolve

LOGIN = "login"


def make_post(*, by, approved=(), pending=(), refused=(), status=JobPost.Status.OPEN, poster_kind=None,
              organisation="Perpustakaan Nasional RI", days=30, **fields) -> JobPost:
    values = {
        "title": "Pustakawan Ahli Pertama", "kind": JobPost.Kind.FULL_TIME, "field": Field.LIBRARY,
        "city": "Jakarta Pusat", "description": "Mengelola koleksi.", "apply_how": JobPost.Apply.URL,
        "apply_url": "https://karir.example.org/lowongan/1", **fields,
    }
    post = JobPost.objects.create(
        organisation=organisation_resolve(name=organisation), posted_by=by, status=status,
        poster_kind=poster_kind or JobPost.PosterKind.MEMBER,
        closing_date=timezone.localdate() + datetime.timedelta(days=days), **values,
    )
    now = timezone.now()
    JobPostTarget.objects.bulk_create(
        [JobPostTarget(post=post, study_program=p, state=JobPostTarget.State.APPROVED, decided_at=now)
         for p in approved]
        + [JobPostTarget(post=post, study_program=p, state=JobPostTarget.State.PENDING) for p in pending]
        + [JobPostTarget(post=post, study_program=p, state=JobPostTarget.State.REFUSED, reason="Tidak sesuai")
           for p in refused]
    )
    return post


def _row(method, arg, anonymous, a, b, pending, staff_x, staff_y, admin, employer):
    return (method, arg, {"anonymous": anonymous, "alumnus_a": a, "alumnus_b": b, "pending": pending,
                          "staff_x": staff_x, "staff_y": staff_y, "admin_user": admin, "employer": employer})


ROWS: dict = {
    #                                            anon   A    B    pend staffX staffY admin employer
    "careers:post_list": _row("get", None, LOGIN, 200, 200, 302, 200, 200, 200, 302),
    "careers:my_posts": _row("get", None, LOGIN, 200, 200, 200, 200, 200, 200, 200),
    "careers:post_create": _row("get", None, LOGIN, 200, 200, 403, 200, 200, 200, 200),
    # B's post for X (approved) and Y (pending): X's members and staff see it, staff Y moderate it.
    "careers:post_detail": _row("get", "open_xy", LOGIN, 200, 200, 404, 200, 200, 200, 404),
    # The poster edits while open; staff of a target program too (Y's: it names Y); A may see it but not edit.
    "careers:post_edit": _row("get", "open_xy", LOGIN, 403, 200, 404, 200, 200, 200, 404),
    "careers:post_close": _row("get", "open_xy", LOGIN, 403, 200, 404, 200, 200, 200, 404),
    # An empty POST: members are noted as applied and sent back (302); staff are no members (403).
    "careers:post_apply": _row("post", "open_x", LOGIN, 302, 302, 404, 403, 404, 403, 404),
    # B is the poster (403); an empty POST re-renders the form with its error (200).
    "careers:post_report": _row("post", "open_x", LOGIN, 200, 403, 404, 200, 404, 200, 404),
    "careers:post_teaser": _row("get", "open_xy", 200, 200, 200, 200, 200, 200, 200, 200),
    "careers:moderation": _row("get", None, LOGIN, 403, 403, 403, 200, 200, 200, 403),
    # The Y target of open_xy: only staff who run Y (staff Y, the admin) decide; everyone else 404.
    "careers:target_approve": _row("post", "target_y", LOGIN, 404, 404, 404, 404, 302, 302, 404),
    "careers:target_refuse": _row("get", "target_y", LOGIN, 404, 404, 404, 404, 200, 200, 404),
    "careers:post_review": _row("get", "hidden", LOGIN, 404, 404, 404, 200, 404, 200, 404),
}


def objects(p: dict) -> dict:
    b, x, y = p["alumnus_b"], p["prodi_x"], p["prodi_y"]
    open_xy = make_post(by=b, approved=[x], pending=[y], title="Arsiparis")
    open_x = make_post(by=b, approved=[x], title="Pustakawan Sekolah")
    hidden = make_post(by=b, approved=[x], status=JobPost.Status.HIDDEN, report_count=3, title="Lowongan Aneh")
    closed = make_post(by=b, approved=[x], status=JobPost.Status.CLOSED, title="Kurator Museum")
    employer_post = make_post(by=p["employer"], pending=[x], poster_kind=JobPost.PosterKind.EMPLOYER,
                              organisation="PT Pustaka Digital Nusantara", title="Content Librarian")
    return {
        "open_xy": open_xy, "open_x": open_x, "hidden": hidden, "closed": closed, "employer_post": employer_post,
        "target_y": (str(open_xy.pk), y.pk, ""),
    }
