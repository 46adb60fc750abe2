"""Posts: pictures (at most four, pictures only, at most 5 MB each, re-encoded), script escaped and links made safe,
announcements by group admins only (pinned, unpinned), editing and deleting one's own post, comments, the new
members' rate limit with its message, and pictures served only to readers."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from community import services_posts
from community.models import MAX_IMAGE_BYTES, NEW_MEMBER_POSTS_PER_DAY, Comment, Membership, Post, PostImage

from ..conftest import client_for
from .support_groups import community, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(prodi_x, alumnus_a, student):
    return community(prodi_x, alumnus_a, members=[student])


def _post(client, group, data, files=None):
    return client.post(reverse("community:post_new", args=[group.slug]), {**data, **(files or {})})


def test_a_post_with_pictures_is_reencoded(group, student):
    response = _post(client_for(student), group, {"body": "Foto temu SLiMS", "alt_1": "Peserta", "alt_2": ""},
                     {"image_1": png("a.png"), "image_2": png("b.png", color=(0, 0, 200))})
    assert response.status_code == 302
    post = Post.objects.get()
    images = list(post.images.all())
    assert [i.alt for i in images] == ["Peserta", ""]
    assert all(i.image.name.endswith(".png") and "a.png" not in i.image.name for i in images)
    reply = client_for(student).get(reverse("community:post_image", args=[images[0].pk]))
    assert reply.status_code == 200 and reply["Content-Type"] == "image/png"


def test_five_pictures_refused_nothing_written(group, student):
    with pytest.raises(ValidationError) as exc:
        services_posts.post_create(group=group, by=student, body="x", images=[(png(f"{i}.png"), "") for i in range(5)])
    assert "A post has at most 4 pictures." in exc.value.messages
    assert not Post.objects.exists() and not PostImage.objects.exists()
    # Four go through (the page offers four picture fields).
    files = {f"image_{i}": png(f"{i}.png") for i in range(1, 5)}
    assert _post(client_for(student), group, {"body": "four"}, files).status_code == 302
    assert PostImage.objects.count() == 4


def test_a_file_that_is_not_a_picture_refused(group, student):
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    response = _post(client_for(student), group, {"body": "lihat"}, {"image_1": png(), "image_2": fake})
    assert response.status_code == 200
    assert "“photo.jpg”: The picture could not be read" in response.content.decode()
    assert not Post.objects.exists() and not PostImage.objects.exists()


def test_an_oversized_picture_refused(group, student):
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (MAX_IMAGE_BYTES + 1), content_type="image/png")
    response = _post(client_for(student), group, {"body": "besar"}, {"image_1": big})
    assert response.status_code == 200
    assert "“big.png” is larger than 5 MB." in response.content.decode()
    assert not Post.objects.exists()


def test_script_escaped_and_links_safe(group, student, alumnus_a):
    _post(client_for(student), group, {"body": '<script>alert("x")</script> lihat https://slims.web.id/docs'})
    post = Post.objects.get()
    html = client_for(alumnus_a).get(reverse("community:post_detail", args=[post.pk])).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<a href="https://slims.web.id/docs" rel="nofollow">https://slims.web.id/docs</a>' in html
    group_html = client_for(alumnus_a).get(reverse("community:group_detail", args=[group.slug])).content.decode()
    assert "<script>alert" not in group_html


def test_announcements_by_group_admins_only(group, student, alumnus_a):
    response = _post(client_for(student), group, {"body": "Pengumuman palsu", "announcement": "on"})
    assert response.status_code == 302 and not Post.objects.get().pinned  # no such box for members
    Post.objects.all().delete()
    response = _post(client_for(alumnus_a), group, {"body": "Temu SLiMS 12 Mei", "announcement": "on"})
    post = Post.objects.get()
    assert post.pinned and post.kind == Post.Kind.ANNOUNCEMENT
    _post(client_for(student), group, {"body": "Post biasa sesudahnya"})
    html = client_for(student).get(reverse("community:group_detail", args=[group.slug])).content.decode()
    assert html.index("Temu SLiMS 12 Mei") < html.index("Post biasa sesudahnya")
    assert client_for(student).post(reverse("community:post_pin", args=[post.pk]), {"pinned": "0"}).status_code == 403
    client_for(alumnus_a).post(reverse("community:post_pin", args=[post.pk]), {"pinned": "0"})
    post.refresh_from_db()
    assert not post.pinned


def test_edit_and_delete_own_post_only(group, student, alumnus_a):
    post = services_posts.post_create(group=group, by=student, body="Typo", images=[(png(), "")])
    assert client_for(alumnus_a).post(reverse("community:post_edit", args=[post.pk]), {"body": "x"}).status_code == 403
    client_for(student).post(reverse("community:post_edit", args=[post.pk]), {"body": "Fixed"})
    post.refresh_from_db()
    assert post.body == "Fixed" and post.edited_at
    client_for(student).post(reverse("community:post_delete", args=[post.pk]), {"confirm": "1"})
    assert not Post.objects.exists() and not PostImage.objects.exists()


def test_comments(group, student, alumnus_a):
    post = services_posts.post_create(group=group, by=student, body="Tanya")
    client = client_for(alumnus_a)
    response = client.post(reverse("community:comment_new", args=[post.pk]), {"body": ""})
    assert "Write something first." in response.content.decode()
    client.post(reverse("community:comment_new", args=[post.pk]), {"body": "Jawab <b>tebal</b>"})
    html = client_for(student).get(reverse("community:post_detail", args=[post.pk])).content.decode()
    assert "Jawab &lt;b&gt;tebal&lt;/b&gt;" in html
    comment = Comment.objects.get()
    assert client_for(student).post(reverse("community:comment_delete", args=[comment.pk])).status_code == 403
    client.post(reverse("community:comment_delete", args=[comment.pk]))
    assert not Comment.objects.exists()


def test_new_member_rate_limit_message(group, student):
    Membership.objects.filter(group=group, user=student).update(joined_at=timezone.now() - timedelta(days=1))
    client = client_for(student)
    for i in range(NEW_MEMBER_POSTS_PER_DAY):
        assert _post(client, group, {"body": f"post {i}"}).status_code == 302
    response = _post(client, group, {"body": "one too many"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "New members write at most 5 posts, comments, questions and answers a day" in html
    assert Post.objects.count() == NEW_MEMBER_POSTS_PER_DAY
    assert 'id="rate-limit"' in client.get(reverse("community:post_new", args=[group.slug])).content.decode()
    post = Post.objects.first()
    client.post(reverse("community:comment_new", args=[post.pk]), {"body": "komentar"})
    assert not Comment.objects.exists()


def test_a_member_who_left_cannot_post(group, student):
    from community import services_groups

    services_groups.group_leave(group=group, user=student)
    assert _post(client_for(student), group, {"body": "masih?"}).status_code == 403
    assert not Post.objects.exists()
