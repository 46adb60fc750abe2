"""Permission-matrix rows of the community posts pages (collected by tests/community/test_permissions.py).

ROWS: {url name: (method, object key or None, {persona: status or LOGIN})}, every persona of PERSONAS.
objects(p): builds the objects the rows name, from p = {persona name: user, "prodi_x": …, "prodi_y": …}.

In the community "slims" of matrix_groups (alumnus_a its admin, the student a member): the student's post with a
picture, alumnus_a's comment on it. Readers: members and moderators (staff_x, the institution admin); alumnus_b and
staff_y see the group but not its posts (403).
"""

from __future__ import annotations

LOGIN = "login"


def _all(**statuses) -> dict:
    return {"anonymous": LOGIN, "pending": 403, "employer": 403, **statuses}


READERS = {"alumnus_a": 200, "alumnus_b": 403, "staff_x": 200, "staff_y": 403, "admin_user": 200, "student": 200}
AUTHOR_ONLY = {"alumnus_a": 403, "alumnus_b": 403, "staff_x": 403, "staff_y": 403, "admin_user": 403, "student": 200}

ROWS: dict = {
    # Everyone who uses groups opens it (a person who moderates nothing is told so).
    "community:moderation_queue": ("get", None, _all(alumnus_a=200, alumnus_b=200, staff_x=200, staff_y=200,
                                                     admin_user=200, student=200)),
    "community:post_new": ("get", "slims_slug", _all(alumnus_a=200, alumnus_b=403, staff_x=403, staff_y=403,
                                                     admin_user=403, student=200)),
    "community:post_detail": ("get", "post", _all(**READERS)),
    "community:post_edit": ("get", "post", _all(**AUTHOR_ONLY)),
    "community:post_delete": ("get", "post", _all(**AUTHOR_ONLY)),
    "community:post_pin": ("post", "post", _all(alumnus_a=302, alumnus_b=403, staff_x=302, staff_y=403,
                                                admin_user=302, student=403)),
    # An empty comment: the page again with the error for writers, 403 for readers who do not write.
    "community:comment_new": ("post", "post", _all(alumnus_a=200, alumnus_b=403, staff_x=403, staff_y=403,
                                                   admin_user=403, student=200)),
    "community:comment_delete": ("post", "comment", _all(alumnus_a=302, alumnus_b=403, staff_x=403, staff_y=403,
                                                         admin_user=403, student=403)),
    "community:post_image": ("get", "picture", _all(**READERS)),
    "community:report": ("get", "report_post", _all(**READERS)),
    "community:moderate": ("get", "report_post", _all(alumnus_a=200, alumnus_b=403, staff_x=200, staff_y=403,
                                                      admin_user=200, student=403)),
}


def objects(p: dict) -> dict:
    from community import services_posts
    from community.models import Group

    from .support_groups import png

    slims = Group.objects.get(slug="slims")
    post = services_posts.post_create(group=slims, by=p["student"], body="Ada yang pakai SLiMS 9 Bulian?",
                                      images=[(png(), "tangkapan layar")])
    comment = services_posts.comment_create(post=post, by=p["alumnus_a"], body="Saya, di perpustakaan desa.")
    return {"post": post, "comment": comment, "picture": post.images.get(),
            "report_post": ("post", str(post.pk), "")}
