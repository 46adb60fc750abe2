"""Job posts, pages: writing a post (form errors, nothing saved), the paste step, the post page (how to apply, text
shown escaped, Share to WhatsApp), the public teaser (no contact, Open Graph), the job list (filters, sorting,
pages, a fixed number of queries at two sizes), My posts, closing, "I applied" and reporting through the pages."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from alumni.models import AlumniProfile, Province, Visibility
from careers.models import Application, EmploymentOrganisation, JobPost, JobPostTarget, JobReport
from core.models import AuditLog

from ..conftest import client_for
from ..factories import AlumniProfileFactory, EmploymentFactory, UserFactory
from .matrix_posts import make_post

S = JobPost.Status
TODAY = timezone.localdate


def form_data(prodi, **over) -> dict:
    data = {
        "title": "Pustakawan Ahli Pertama", "organisation_name": "Perpustakaan Nasional RI", "kind": "full_time",
        "field": "library", "tags": "katalog, SLiMS", "province": "", "city": "", "remote": "on",
        "salary_min": "", "salary_max": "", "description": "Mengelola koleksi.", "requirements": "",
        "apply_how": "url", "apply_url": "https://karir.perpusnas.example/1", "apply_email": "",
        "closing_date": (TODAY() + datetime.timedelta(days=30)).isoformat(), "study_programs": [prodi.pk],
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


# --- writing a post ----------------------------------------------------------------------------------------------


def test_the_create_page_ticks_the_members_own_program(alumnus_a, prodi_x, prodi_y):
    response = client_for(alumnus_a).get(reverse("careers:post_create"))
    assert response.status_code == 200
    assert response.context["form"]["study_programs"].initial == [prodi_x.pk]
    assert "Paste a WhatsApp message" in response.content.decode()


def test_publishing_creates_the_post_and_shows_it(alumnus_b, prodi_x, prodi_y, provinces):
    province = Province.objects.get(code="010000")
    data = form_data(prodi_x, remote=None, province=province.pk, city="Jakarta Pusat", salary_min="Rp 5.000.000",
                     salary_max="7.500.000", study_programs=[prodi_x.pk, prodi_y.pk])
    response = client_for(alumnus_b).post(reverse("careers:post_create"), data)
    post = JobPost.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("careers:post_detail", args=[post.pk])
    assert (post.province, post.city, post.salary_min, post.salary_max) == (province, "Jakarta Pusat", 5_000_000,
                                                                             7_500_000)
    assert dict(post.targets.values_list("study_program_id", "state")) == {
        prodi_x.pk: JobPostTarget.State.APPROVED, prodi_y.pk: JobPostTarget.State.PENDING}


@pytest.mark.parametrize(("over", "message"), [
    ({"closing_date": "2020-01-01"}, "The closing date is in the past."),
    ({"apply_url": "ftp://example.org/x"}, "must start with http:// or https://"),
    ({"apply_how": "email", "apply_email": "bukan-email"}, "This is not a valid email address."),
    ({"salary_min": "9.000.000", "salary_max": "3.000.000"}, "below the lower end"),
    ({"title": "T" * 151}, "151"),
    ({"study_programs": []}, "Choose at least one study program"),
])
def test_a_wrong_form_says_what_is_wrong_and_saves_nothing(over, message, alumnus_a, prodi_x):
    alumnus_a.language = "en"
    alumnus_a.save(update_fields=["language"])
    response = client_for(alumnus_a).post(reverse("careers:post_create"), form_data(prodi_x, **over))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert JobPost.objects.count() == 0


def test_a_pending_person_may_not_open_the_create_page(pending_person):
    assert client_for(pending_person).get(reverse("careers:post_create")).status_code == 403


WHATSAPP = """*LOWONGAN KERJA*
Pustakawan - Perpustakaan Universitas Nusantara
Penempatan: Yogyakarta
Kirim CV ke rekrutmen@unusantara.example
Paling lambat {deadline}
Info: 0812-3456-7890"""


def test_pasting_a_whatsapp_message_fills_the_form_without_saving(alumnus_a, prodi_x, provinces):
    deadline = TODAY() + datetime.timedelta(days=20)
    text = WHATSAPP.format(deadline=deadline.strftime("%d/%m/%Y"))
    response = client_for(alumnus_a).post(reverse("careers:post_create"), {"step": "paste", "paste-pasted": text})
    assert response.status_code == 200
    assert JobPost.objects.count() == 0
    form = response.context["form"]
    assert not form.is_bound
    assert form.initial["apply_email"] == "rekrutmen@unusantara.example"
    assert form.initial["apply_how"] == "email"
    assert form.initial["closing_date"] == deadline
    assert form.initial["province"] == Province.objects.get(code="040000").pk
    body = response.content.decode()
    assert "We filled in:" in body and "check everything before publishing" in body
    assert 'value="rekrutmen@unusantara.example"' in body
    assert response.context["paste_note"]["phone"]


def test_pasting_nothing_asks_for_the_text(alumnus_a):
    response = client_for(alumnus_a).post(reverse("careers:post_create"), {"step": "paste", "paste-pasted": ""})
    assert response.status_code == 200 and "Paste the text of the message first." in response.content.decode()


# --- the post page -----------------------------------------------------------------------------------------------


def test_html_in_a_post_is_shown_as_text(alumnus_a, alumnus_b, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x], title="<b>Pustakawan</b>",
                     description='<script>alert("x")</script>\nBaris kedua', requirements="<img src=x onerror=1>")
    body = client_for(alumnus_a).get(reverse("careers:post_detail", args=[post.pk])).content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>Baris kedua" in body
    assert "<img src=x" not in body and "&lt;img src=x onerror=1&gt;" in body
    assert "<b>Pustakawan</b>" not in body and "&lt;b&gt;Pustakawan&lt;/b&gt;" in body


def test_the_post_page_shows_how_to_apply_to_whoever_may_see_it(alumnus_a, alumnus_b, prodi_x):
    by_link = make_post(by=alumnus_b, approved=[prodi_x], apply_url="https://karir.example.org/42")
    by_email = make_post(by=alumnus_b, approved=[prodi_x], apply_how="email", apply_url="",
                         apply_email="hrd@pustaka.example")
    ask = make_post(by=alumnus_b, approved=[prodi_x], apply_how="ask", apply_url="")
    client = client_for(alumnus_a)
    assert 'href="https://karir.example.org/42"' in client.get(
        reverse("careers:post_detail", args=[by_link.pk])).content.decode()
    assert 'href="mailto:hrd@pustaka.example"' in client.get(
        reverse("careers:post_detail", args=[by_email.pk])).content.decode()
    body = client.get(reverse("careers:post_detail", args=[ask.pk])).content.decode()
    assert "Ask the poster, Bagus Pratama, how to apply" in body
    assert "bagus@example.org" not in body


def test_share_to_whatsapp_encodes_the_title_and_the_teaser_address(alumnus_a, alumnus_b, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x], title="Pustakawan & Arsiparis (S1) #2026?")
    response = client_for(alumnus_a).get(reverse("careers:post_detail", args=[post.pk]))
    teaser = f"{settings.SITE_URL}/careers/j/{post.pk}/"
    expected = "https://wa.me/?text=Pustakawan%20%26%20Arsiparis%20%28S1%29%20%232026%3F%20" + quote(teaser, safe="")
    assert response.context["whatsapp_link"] == expected
    assert "%3A%2F%2F" in expected and "&" not in expected.partition("?text=")[2]
    assert f'href="{expected}"' in response.content.decode()


def test_a_post_waiting_for_staff_everywhere_has_no_share_link(employer_contact, staff_x, prodi_x):
    post = make_post(by=employer_contact, pending=[prodi_x], poster_kind="employer")
    response = client_for(staff_x).get(reverse("careers:post_detail", args=[post.pk]))
    assert response.status_code == 200 and response.context["whatsapp_link"] == ""


def test_i_applied_is_noted_once_and_shown(alumnus_a, alumnus_b, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x])
    client = client_for(alumnus_a)
    for _ in range(2):
        assert client.post(reverse("careers:post_apply", args=[post.pk])).status_code == 302
    assert Application.objects.filter(user=alumnus_a, post=post).count() == 1
    assert "You marked this as applied." in client.get(reverse("careers:post_detail", args=[post.pk])).content.decode()


def test_the_poster_sees_no_report_form_and_no_applied_button(alumnus_b, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x])
    response = client_for(alumnus_b).get(reverse("careers:post_detail", args=[post.pk]))
    assert not response.context["can_report"] and not response.context["can_apply"]


def test_closing_asks_first_and_then_closes(alumnus_b, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x])
    client = client_for(alumnus_b)
    url = reverse("careers:post_close", args=[post.pk])
    assert "is no longer listed" in client.get(url).content.decode()
    client.post(url, {})
    post.refresh_from_db()
    assert post.status == S.OPEN
    assert client.post(url, {"confirm": "1"}).status_code == 302
    post.refresh_from_db()
    assert post.status == S.CLOSED


def test_the_poster_edits_through_the_page(alumnus_b, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x], remote=True)
    data = form_data(prodi_x, title="Pustakawan Madya", closing_date=post.closing_date.isoformat())
    response = client_for(alumnus_b).post(reverse("careers:post_edit", args=[post.pk]), data)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Pustakawan Madya"
    assert AuditLog.objects.filter(action="careers.post.edited").count() == 1


def test_three_reports_through_the_page_hide_the_post(alumnus_b, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x])
    for n in range(3):
        user = UserFactory(email=f"pelapor{n}@example.org")
        AlumniProfileFactory(user=user, study_program=prodi_x, nim=f"1571020{n}")
        response = client_for(user).post(reverse("careers:post_report", args=[post.pk]),
                                         {"reason": "scam", "note": "Minta uang pendaftaran"})
        assert response.status_code == 302
    post.refresh_from_db()
    assert (post.status, post.report_count) == (S.HIDDEN, 3)
    assert JobReport.objects.filter(post=post).count() == 3


def test_a_report_without_a_reason_is_refused_with_a_message(alumnus_a, alumnus_b, prodi_x):
    alumnus_a.language = "en"
    alumnus_a.save(update_fields=["language"])
    post = make_post(by=alumnus_b, approved=[prodi_x])
    response = client_for(alumnus_a).post(reverse("careers:post_report", args=[post.pk]), {"note": "x" * 501})
    body = response.content.decode()
    assert response.status_code == 200 and "Choose what is wrong with the post." in body
    assert JobReport.objects.count() == 0


# --- the public teaser -------------------------------------------------------------------------------------------


def test_the_teaser_opens_for_anyone_and_shows_no_contact(alumnus_b, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x], title="Arsiparis Muda", city="Bandung",
                     apply_how="email", apply_url="", apply_email="rahasia@pustaka.example",
                     description="Hubungi 0812-9999-8888")
    response = client_for(None).get(reverse("careers:post_teaser", args=[post.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Arsiparis Muda" in body and "Perpustakaan Nasional RI" in body and "Bandung" in body
    for secret in ("rahasia@pustaka.example", "0812-9999-8888", "Bagus", "bagus@example.org", "mailto:"):
        assert secret not in body
    assert '<meta property="og:title" content="Arsiparis Muda — Perpustakaan Nasional RI">' in body
    assert '<meta property="og:description"' in body
    assert reverse("account_login") + "?next=" + reverse("careers:post_detail", args=[post.pk]) \
        in body


def test_the_teaser_of_a_link_post_does_not_show_the_link(alumnus_b, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x], apply_url="https://lamar.example.org/rahasia")
    body = client_for(None).get(reverse("careers:post_teaser", args=[post.pk])).content.decode()
    assert "lamar.example.org" not in body


@pytest.mark.parametrize("state", ["pending_only", "closed", "hidden", "removed"])
def test_the_teaser_of_a_post_not_shareable_is_a_404(state, alumnus_b, prodi_x):
    if state == "pending_only":
        post = make_post(by=alumnus_b, pending=[prodi_x])
    else:
        post = make_post(by=alumnus_b, approved=[prodi_x], status=state)
    assert client_for(None).get(reverse("careers:post_teaser", args=[post.pk])).status_code == 404


# --- the list and my posts ---------------------------------------------------------------------------------------


def test_a_member_of_prodi_y_sees_a_post_in_the_list_only_after_staff_y_approve(
        alumnus_a, alumnus_b, staff_y, prodi_x, prodi_y):
    member_y = UserFactory(email="yusuf@example.org")
    AlumniProfileFactory(user=member_y, study_program=prodi_y, nim="15790001")
    post = make_post(by=alumnus_b, approved=[prodi_x], pending=[prodi_y], title="Penerjemah Arab")
    assert "Penerjemah Arab" in client_for(alumnus_a).get(reverse("careers:post_list")).content.decode()
    client_y = client_for(member_y)
    assert "Penerjemah Arab" not in client_y.get(reverse("careers:post_list")).content.decode()
    assert client_y.get(reverse("careers:post_detail", args=[post.pk])).status_code == 404
    assert client_for(staff_y).post(reverse("careers:target_approve", args=[post.pk, prodi_y.pk])).status_code == 302
    assert "Penerjemah Arab" in client_y.get(reverse("careers:post_list")).content.decode()
    assert client_y.get(reverse("careers:post_detail", args=[post.pk])).status_code == 200


def titles(response) -> list[str]:
    return [p.title for p in response.context["page"].object_list]


def test_the_list_filters_and_sorts(alumnus_a, alumnus_b, staff_x, employer_contact, prodi_x, provinces):
    jakarta, bali = Province.objects.get(code="010000"), Province.objects.get(code="220000")
    make_post(by=alumnus_b, approved=[prodi_x], title="Pustakawan", kind="full_time", province=jakarta,
              city="Jakarta Selatan", days=40, tags="katalog")
    make_post(by=staff_x, approved=[prodi_x], title="Asisten Riset", kind="internship", field="science",
              remote=True, city="", days=3, poster_kind="staff", organisation="BRIN")
    make_post(by=employer_contact, approved=[prodi_x], title="Kurator Digital", kind="contract", province=bali,
              city="Denpasar", days=10, poster_kind="employer", description="Mengelola arsip foto",
              organisation="PT Pustaka Digital Nusantara")
    client = client_for(alumnus_a)
    url = reverse("careers:post_list")
    assert titles(client.get(url)) == ["Kurator Digital", "Asisten Riset", "Pustakawan"]  # newest first
    assert titles(client.get(url, {"sort": "closing"})) == ["Asisten Riset", "Kurator Digital", "Pustakawan"]
    assert titles(client.get(url, {"q": "katalog"})) == ["Pustakawan"]
    assert titles(client.get(url, {"q": "brin"})) == ["Asisten Riset"]
    assert titles(client.get(url, {"q": "arsip foto"})) == ["Kurator Digital"]
    assert titles(client.get(url, {"kind": "internship"})) == ["Asisten Riset"]
    assert titles(client.get(url, {"field": "science"})) == ["Asisten Riset"]
    assert titles(client.get(url, {"province": bali.pk})) == ["Kurator Digital"]
    assert titles(client.get(url, {"city": "jakarta"})) == ["Pustakawan"]
    assert titles(client.get(url, {"remote": "on"})) == ["Asisten Riset"]
    assert titles(client.get(url, {"closing_soon": "on"})) == ["Asisten Riset"]
    assert titles(client.get(url, {"poster_kind": "employer"})) == ["Kurator Digital"]
    assert titles(client.get(url, {"poster_kind": "member"})) == ["Pustakawan"]
    response = client.get(url, {"kind": "internship"})
    assert response.context["filters_open"] and 'id="job-filters" ' not in response.content.decode()


def test_the_list_shows_twenty_a_page(alumnus_a, alumnus_b, prodi_x):
    for n in range(25):
        make_post(by=alumnus_b, approved=[prodi_x], title=f"Lowongan {n:02d}")
    client = client_for(alumnus_a)
    first = client.get(reverse("careers:post_list"))
    assert len(titles(first)) == 20 and first.context["page"].paginator.count == 25
    assert len(titles(client.get(reverse("careers:post_list"), {"page": 2}))) == 5


def test_closed_hidden_and_waiting_posts_are_not_listed(alumnus_a, alumnus_b, prodi_x, prodi_y):
    make_post(by=alumnus_b, approved=[prodi_x], title="Terbuka")
    make_post(by=alumnus_b, approved=[prodi_x], status=S.CLOSED, title="Tutup")
    make_post(by=alumnus_b, approved=[prodi_x], status=S.HIDDEN, title="Disembunyikan")
    make_post(by=alumnus_b, pending=[prodi_x], title="Menunggu")
    make_post(by=alumnus_b, approved=[prodi_x], title="Lewat Tenggat", days=-1)  # the closing tick has not run yet
    assert titles(client_for(alumnus_a).get(reverse("careers:post_list"))) == ["Terbuka"]


# Measured on SQLite: 8 for an alumnus and for staff, at 3 and at 40 posts: session and user (2), the request's
# savepoint and release (2), the chosen province (1), the count (1), the page of posts with their organisation and
# province (1), the province choices (1); the viewer's scope comes from the cache.
LIST_QUERIES = 8


@pytest.mark.parametrize("size", [3, 40])
@pytest.mark.parametrize("persona", ["alumnus_a", "staff_x"])
def test_the_list_runs_a_fixed_number_of_queries(size, persona, alumnus_b, prodi_x, request,
                                                  django_assert_max_num_queries, provinces):
    jakarta = Province.objects.get(code="010000")
    for n in range(size):
        make_post(by=alumnus_b, approved=[prodi_x], title=f"Lowongan {n}", province=jakarta, city="Jakarta",
                  tags="arsip")
    client = client_for(request.getfixturevalue(persona))
    client.get(reverse("careers:post_list"))
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("careers:post_list"), {"q": "Lowongan", "province": jakarta.pk,
                                                             "sort": "closing"})
    assert response.context["page"].paginator.count == size
    assert len(response.context["page"].object_list) == min(size, 20)


def test_my_posts_lists_every_state_with_refusal_reasons(alumnus_b, prodi_x, prodi_y):
    make_post(by=alumnus_b, approved=[prodi_x], refused=[prodi_y], title="Ditolak di Y")
    make_post(by=alumnus_b, approved=[prodi_x], status=S.CLOSED, title="Sudah Tutup")
    make_post(by=alumnus_b, approved=[prodi_x], status=S.REMOVED, title="Dihapus Staf")
    response = client_for(alumnus_b).get(reverse("careers:my_posts"))
    body = response.content.decode()
    assert [p.title for p in response.context["posts"]] == ["Dihapus Staf", "Sudah Tutup", "Ditolak di Y"]
    assert "Tidak sesuai" in body and "Bahasa dan Sastra Arab" in body


def test_an_employer_is_sent_from_the_list_to_their_own_posts(employer_contact):
    response = client_for(employer_contact).get(reverse("careers:post_list"))
    assert response.status_code == 302 and response["Location"] == reverse("careers:my_posts")


def test_a_pending_person_is_sent_from_the_list_to_their_profile(pending_person):
    response = client_for(pending_person).get(reverse("careers:post_list"))
    assert response.status_code == 302 and response["Location"] == reverse("alumni:my_profile")


def test_the_post_page_shows_the_alumni_who_work_at_the_organisation(alumnus_a, alumnus_b, staff_x, prodi_x):
    post = make_post(by=staff_x, approved=[prodi_x], poster_kind="staff", organisation="Perpustakaan Nasional RI")
    AlumniProfile.objects.filter(user=alumnus_b).update(vis_career=Visibility.ALUMNI)
    job = EmploymentFactory(profile=alumnus_b.alumni_profile, employer="Perpustakaan Nasional RI",
                            position="Pustakawan Penyelia", end_date=None)
    EmploymentOrganisation.objects.update_or_create(employment=job, defaults={"organisation": post.organisation})
    response = client_for(alumnus_a).get(reverse("careers:post_detail", args=[post.pk]))
    assert [p.full_name for p in response.context["people_here"]] == ["Bagus Pratama"]
    body = response.content.decode()
    assert "Alumni who work here" in body and "Pustakawan Penyelia" in body
    assert response.context["can_ask_introduction"]
