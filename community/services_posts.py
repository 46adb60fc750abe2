"""Posts and comments in a group: writing (text with links, up to MAX_POST_IMAGES pictures, each re-encoded),
announcements by the group's admins (pinned; unpinned later), editing and deleting one's own post, comments.

Rules (a ValidationError with the words for the page, or PermissionDenied; nothing half-written):
- only active members of an active group write; new members within the rate limit (community.moderation);
- the text is stored as typed; pages escape it and then turn addresses into links (`body_html`);
- pictures: at most MAX_POST_IMAGES, each at most MAX_IMAGE_BYTES as sent, each a JPEG, PNG or WebP that Pillow
  writes anew (core.images.reencode_image); one bad picture refuses the whole post;
- announcements: only the group's admins; they are pinned at the top until an admin unpins them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import urlize
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import scope_for
from core.audit import audit_log
from core.images import reencode_image

from . import access
from .models import (
    COMMENT_MAX,
    MAX_IMAGE_BYTES,
    MAX_POST_IMAGES,
    TEXT_MAX,
    Comment,
    Group,
    Post,
    PostImage,
    Visibility,
)
from .moderation import posting_allowed

ALT_MAX = 200


def body_html(text: str) -> SafeString:
    """The text of a post or comment for a page: escaped first, then web addresses made links (rel nofollow),
    line breaks kept."""
    return linebreaksbr(urlize(text or "", nofollow=True, autoescape=True), autoescape=False)


def _require_writer(group: Group, by) -> None:
    scope = scope_for(by)
    if not access.can_post(scope, by, group):
        raise PermissionDenied(_("Only the group's members write in it."))
    message = posting_allowed(by, group)
    if message:
        raise ValidationError(message)


def _clean_body(body: str, *, limit: int = TEXT_MAX, field: str = "body") -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({field: _("Write something first.")})
    if len(body) > limit:
        raise ValidationError({field: _("The text is too long (at most %(n)d characters).") % {"n": limit}})
    return body


def clean_images(images) -> list:
    """[(re-encoded file, alt)] from [(upload, alt)], or ValidationError naming what is wrong."""
    images = [(f, (alt or "").strip()) for f, alt in (images or []) if f]
    if len(images) > MAX_POST_IMAGES:
        raise ValidationError({"images": ngettext("A post has at most %(n)d picture.",
                                                  "A post has at most %(n)d pictures.", MAX_POST_IMAGES)
                               % {"n": MAX_POST_IMAGES}})
    clean = []
    for upload, alt in images:
        if upload.size > MAX_IMAGE_BYTES:
            raise ValidationError({"images": _("“%(name)s” is larger than %(mb)d MB.")
                                   % {"name": upload.name, "mb": MAX_IMAGE_BYTES // (1024 * 1024)}})
        if len(alt) > ALT_MAX:
            raise ValidationError({"images": _("A picture's description has at most %(n)d characters.")
                                   % {"n": ALT_MAX}})
        try:
            clean.append((reencode_image(upload), alt))
        except ValidationError as exc:
            raise ValidationError({"images": _("“%(name)s”: %(problem)s")
                                   % {"name": upload.name, "problem": " ".join(exc.messages)}}) from None
    return clean


def post_create(*, group: Group, by, body: str, images=None, announcement: bool = False) -> Post:
    """A post (or, by a group admin, a pinned announcement) with its pictures: [(upload, alt text)]."""
    _require_writer(group, by)
    if announcement and not access.is_group_admin(by, group):
        raise PermissionDenied(_("Only the group's admins make announcements."))
    body = _clean_body(body)
    pictures = clean_images(images)
    with transaction.atomic():
        post = Post.objects.create(group=group, author=by, body=body, pinned=announcement,
                                   kind=Post.Kind.ANNOUNCEMENT if announcement else Post.Kind.POST)
        for position, (content, alt) in enumerate(pictures):
            image = PostImage(post=post, position=position, alt=alt)
            image.image.save(content.name, content, save=False)
            image.save()
        audit_log(actor=by, action="community.post.created", target=post, study_program=group.study_program,
                  data={"group": str(group.pk), "kind": post.kind, "images": len(pictures)})
    return post


def post_edit(*, post: Post, by, body: str) -> Post:
    if post.author_id != by.pk:
        raise PermissionDenied(_("Only its author edits a post."))
    if not access.is_member(by, post.group):
        raise PermissionDenied(_("Only the group's members write in it."))
    body = _clean_body(body)
    post.body, post.edited_at = body, timezone.now()
    post.save(update_fields=["body", "edited_at"])
    audit_log(actor=by, action="community.post.edited", target=post, study_program=post.group.study_program)
    return post


def post_delete(*, post: Post, by) -> None:
    """The author deletes their post (with its comments and pictures). A post a moderator hid stays: its history
    is the audit trail's."""
    if post.author_id != by.pk:
        raise PermissionDenied(_("Only its author deletes a post."))
    if post.visibility == Visibility.HIDDEN:
        raise ValidationError(_("A hidden post cannot be deleted: the moderators keep it with its history."))
    files = [image.image for image in post.images.all()]
    with transaction.atomic():
        audit_log(actor=by, action="community.post.deleted", target=post, study_program=post.group.study_program,
                  data={"group": str(post.group_id)})
        post.delete()
        for f in files:
            transaction.on_commit(lambda f=f: f.storage.delete(f.name))


def post_pin(*, post: Post, by, pinned: bool) -> Post:
    """Pin a post at the top of the group (or unpin it): the group's admins, and staff above them."""
    group = post.group
    if not (access.is_group_admin(by, group) or access.oversees(scope_for(by), group)):
        raise PermissionDenied(_("Only the group's admins pin and unpin posts."))
    if post.pinned == pinned:
        raise ValidationError(_("This post is already pinned.") if pinned else _("This post is not pinned."))
    post.pinned = pinned
    post.save(update_fields=["pinned"])
    audit_log(actor=by, action="community.post.pinned" if pinned else "community.post.unpinned", target=post,
              study_program=group.study_program)
    return post


def comment_create(*, post: Post, by, body: str) -> Comment:
    _require_writer(post.group, by)
    if post.visibility == Visibility.HIDDEN:
        raise ValidationError(_("This post is hidden by a moderator; it takes no comments."))
    body = _clean_body(body, limit=COMMENT_MAX)
    with transaction.atomic():
        comment = Comment.objects.create(post=post, author=by, body=body)
        audit_log(actor=by, action="community.comment.created", target=comment,
                  study_program=post.group.study_program, data={"post": str(post.pk)})
    return comment


def comment_delete(*, comment: Comment, by) -> None:
    if comment.author_id != by.pk:
        raise PermissionDenied(_("Only its author deletes a comment."))
    if comment.visibility == Visibility.HIDDEN:
        raise ValidationError(_("A hidden comment cannot be deleted: the moderators keep it with its history."))
    audit_log(actor=by, action="community.comment.deleted", target=comment,
              study_program=comment.post.group.study_program)
    comment.delete()
