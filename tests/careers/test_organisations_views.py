"""The organisation pages: the list and its search (fixed queries at two sizes), an organisation's page (open posts
for the viewer, alumni who work there, staff's tracer figures; fixed queries at two sizes), staff's edit, alias and
merge pages (merging asks first: core.confirm)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alumni.models import AlumniProfile, Visibility
from careers.models import JobPost, JobPostTarget, Organisation, OrganisationAlias
from careers.organisations import organisation_resolve
from careers.selectors_organisations import organisation_tracer_figures
from core.models import AuditLog
from tracer.models import Answer, Response, Survey

from ..conftest import client_for
from ..factories import AlumniProfileFactory, EmploymentFactory, UserFactory

pytestmark = pytest.mark.django_db

BRI_FULL = "PT Bank Rakyat Indonesia (Persero) Tbk"


@pytest.fixture
def bri():
    return organisation_resolve(name=BRI_FULL)


def post_at(organisation, *, poster, program, title="Teller", state=JobPostTarget.State.APPROVED, days=20,
            status=JobPost.Status.OPEN):
    post = JobPost.objects.create(
        title=title, organisation=organisation, kind=JobPost.Kind.FULL_TIME, field="business",
        closing_date=timezone.localdate() + datetime.timedelta(days=days), posted_by=poster,
        poster_kind=JobPost.PosterKind.MEMBER, status=status,
    )
    JobPostTarget.objects.create(post=post, study_program=program, state=state)
    return post


def colleague(program, name, organisation, *, vis=Visibility.ALUMNI):
    user = UserFactory(full_name=name)
    AlumniProfileFactory(user=user, study_program=program, full_name=name, vis_career=vis)
    EmploymentFactory(profile=user.alumni_profile, employer=organisation.name, position="Analis Kredit")
    return user


# --- list ----------------------------------------------------------------------------------------------------


def test_the_list_finds_an_organisation_by_an_alias(alumnus_a, bri):
    OrganisationAlias.objects.create(organisation=bri, name="Bank BRI", normalised="bank bri")
    organisation_resolve(name="Bank Mandiri")

    response = client_for(alumnus_a).get(reverse("careers:organisations"), {"q": "BRI"})

    assert response.status_code == 200
    assert [o.name for o in response.context["organisations"]] == [BRI_FULL]


def test_the_list_counts_only_posts_listed_for_the_viewer(alumnus_a, alumnus_b, prodi_x, prodi_y, bri):
    post_at(bri, poster=alumnus_b, program=prodi_x)
    post_at(bri, poster=alumnus_b, program=prodi_x, title="Closed", status=JobPost.Status.CLOSED)
    post_at(bri, poster=alumnus_b, program=prodi_y, title="Only Y", state=JobPostTarget.State.PENDING)

    response = client_for(alumnus_a).get(reverse("careers:organisations"))

    [row] = response.context["organisations"]
    assert row.open_posts == 1


@pytest.mark.parametrize("size", [3, 25])
def test_the_list_takes_a_fixed_number_of_queries(alumnus_a, alumnus_b, prodi_x, size, django_assert_max_num_queries):
    for i in range(size):
        org = organisation_resolve(name=f"PT Contoh Nomor {i:03d}")
        post_at(org, poster=alumnus_b, program=prodi_x)
    client = client_for(alumnus_a)

    with django_assert_max_num_queries(7):  # measured: 7 at both sizes (first request of the session)
        response = client.get(reverse("careers:organisations"))

    assert response.status_code == 200
    assert len(response.context["organisations"]) == size


# --- detail --------------------------------------------------------------------------------------------------


def test_a_member_sees_open_posts_and_colleagues_who_share_their_job(alumnus_a, alumnus_b, prodi_x, bri):
    post_at(bri, poster=alumnus_b, program=prodi_x, title="Teller Kantor Cabang")
    post_at(bri, poster=alumnus_b, program=prodi_x, title="Lowongan Tertutup", status=JobPost.Status.CLOSED)
    colleague(prodi_x, "Citra Berbagi", bri)
    colleague(prodi_x, "Dodi Rahasia", bri, vis=Visibility.PRIVATE)

    response = client_for(alumnus_a).get(reverse("careers:organisation_detail", args=[bri.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Teller Kantor Cabang" in html
    assert "Lowongan Tertutup" not in html
    assert "Citra Berbagi" in html and "Analis Kredit" in html
    assert "Dodi Rahasia" not in html
    assert response.context["figures"] is None
    assert 'id="tracer-figures"' not in html
    assert response.context["can_ask_introduction"] is True


def test_an_employer_contact_sees_their_own_organisation_but_not_anothers(employer_contact, bri):
    own = Organisation.objects.get(contacts__user=employer_contact)
    client = client_for(employer_contact)

    assert client.get(reverse("careers:organisation_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("careers:organisation_detail", args=[bri.pk])).status_code == 404


@pytest.mark.parametrize("size", [2, 15])
def test_the_organisation_page_takes_a_fixed_number_of_queries(
    alumnus_a, alumnus_b, staff_x, prodi_x, bri, size, django_assert_max_num_queries
):
    for i in range(size):
        post_at(bri, poster=alumnus_b, program=prodi_x, title=f"Posisi {i}")
        colleague(prodi_x, f"Rekan {i:02d}", bri)
        tracer_answer(graduate(prodi_x, f"Q{i}"), {"f8": 1, "f5b": BRI_FULL, "f502": i, "f505": 4_000_000})
    # measured: 8 for a member, 13 for staff (their tracer figures), at both sizes
    for viewer, queries in ((alumnus_a, 8), (staff_x, 13)):
        client = client_for(viewer)
        with django_assert_max_num_queries(queries):
            response = client.get(reverse("careers:organisation_detail", args=[bri.pk]))
        assert response.status_code == 200
        assert len(response.context["posts"]) == size
        assert len(response.context["people_here"]) == size


# --- staff figures ------------------------------------------------------------------------------------------


def tracer_answer(profile, values: dict, *, when=None) -> Response:
    version = Survey.objects.get(slug="dikti-core").latest_version()
    response = Response.objects.create(
        version=version, profile=profile, status=Response.Status.SUBMITTED, source=Response.Source.IMPORT,
        submitted_at=when or timezone.now(),
    )
    Answer.objects.bulk_create([
        Answer(response=response, code=code, **({"value_text": v} if isinstance(v, str) else {"value_int": v}))
        for code, v in values.items()
    ])
    return response


def graduate(program, nim):
    return AlumniProfileFactory(user=None, study_program=program, nim=nim, full_name=f"Lulusan {nim}",
                                graduation_date=datetime.date(2022, 8, 25))


@pytest.fixture
def traced(prodi_x, prodi_y, alumnus_a, bri):
    """Prodi X: three graduates name BRI in their latest tracer answer (typed three ways), one named it only in an
    older answer, alumnus A has a current job at BRI on the profile and also named it; prodi Y: one graduate."""
    g1, g2, g3, g4 = (graduate(prodi_x, f"X{i}") for i in range(1, 5))
    tracer_answer(g1, {"f8": 1, "f5b": "PT Bank Rakyat Indonesia", "f502": 3, "f505": 3_500_000})
    tracer_answer(g2, {"f8": 1, "f5b": "bank rakyat indonesia tbk", "f502": 9, "f505": 5_000_000})
    tracer_answer(g3, {"f8": 1, "f5b": "Bank Rakyat Indonesia (Persero)", "f502": 6, "f505": 12_000_000})
    old = timezone.now() - datetime.timedelta(days=400)
    tracer_answer(g4, {"f8": 1, "f5b": "PT Bank Rakyat Indonesia", "f502": 1, "f505": 1_000_000}, when=old)
    tracer_answer(g4, {"f8": 1, "f5b": "Bank Mandiri", "f502": 1, "f505": 9_000_000})
    EmploymentFactory(profile=alumnus_a.alumni_profile, employer="Bank Rakyat Indonesia", end_date=None)
    tracer_answer(alumnus_a.alumni_profile, {"f8": 1, "f5b": "BRI", "f502": 0, "f505": 1_500_000})
    tracer_answer(graduate(prodi_y, "Y1"), {"f8": 1, "f5b": "PT BRI Tbk", "f502": 12, "f505": 7_000_000})
    OrganisationAlias.objects.create(organisation=bri, name="BRI", normalised="bri")


def test_staff_figures_count_graduates_waiting_time_and_income_bands_of_their_programs(traced, staff_x, bri):
    figures = organisation_tracer_figures(organisation=bri, viewer=staff_x)

    assert figures.graduates == 4  # g1, g2, g3, alumnus A (not g4: their latest answer names Bank Mandiri)
    assert figures.on_profiles == 1
    assert figures.in_tracer == 4
    assert figures.waiting_months == 4.5  # (3 + 9 + 6 + 0) / 4
    assert figures.waiting_answers == 4
    assert figures.income_answers == 4
    assert [b.count for b in figures.bands] == [1, 1, 1, 0, 1]
    assert [b.percent for b in figures.bands] == [25, 25, 25, 0, 25]
    assert figures.tracer_names == ["BRI", "Bank Rakyat Indonesia (Persero)", "PT Bank Rakyat Indonesia",
                                    "bank rakyat indonesia tbk"]


def test_staff_of_another_program_count_only_theirs_and_admins_count_both(traced, staff_y, admin_user, bri):
    figures_y = organisation_tracer_figures(organisation=bri, viewer=staff_y)
    figures_admin = organisation_tracer_figures(organisation=bri, viewer=admin_user)

    assert (figures_y.graduates, figures_y.waiting_months, [b.count for b in figures_y.bands]) == (
        1, 12.0, [0, 0, 0, 1, 0])
    assert figures_admin.graduates == 5


def test_members_get_no_staff_figures(traced, alumnus_b, bri):
    assert organisation_tracer_figures(organisation=bri, viewer=alumnus_b) is None


def test_the_staff_page_shows_the_figures_as_a_table_and_bars(traced, staff_x, bri):
    response = client_for(staff_x).get(reverse("careers:organisation_detail", args=[bri.pk]))

    html = response.content.decode()
    assert 'id="figure-graduates">4<' in html
    assert 'id="salary-bands"' in html
    assert "progress-bar" in html


def test_figures_without_tracer_answers_are_zero(staff_x, bri):
    figures = organisation_tracer_figures(organisation=bri, viewer=staff_x)

    assert (figures.graduates, figures.waiting_months, figures.income_answers) == (0, None, 0)


# --- staff tools ------------------------------------------------------------------------------------------------


def test_staff_edit_an_organisation_and_a_bad_website_is_refused_in_the_form(staff_y, bri):
    client = client_for(staff_y)
    url = reverse("careers:organisation_edit", args=[bri.pk])

    bad = client.post(url, {"name": "Bank BRI", "kind": "state_owned", "website": "javascript:alert(1)",
                            "city": "Jakarta", "description": ""})
    assert bad.status_code == 200
    assert bad.context["form"].errors["website"]
    bri.refresh_from_db()
    assert bri.name == BRI_FULL

    good = client.post(url, {"name": "Bank BRI", "kind": "state_owned", "website": "https://bri.co.id",
                             "city": "Jakarta Pusat", "description": "Bank milik negara."})
    assert good.status_code == 302
    bri.refresh_from_db()
    assert (bri.name, bri.website, bri.city) == ("Bank BRI", "https://bri.co.id", "Jakarta Pusat")


def test_staff_add_and_remove_an_alias_on_the_aliases_page(staff_x, bri):
    client = client_for(staff_x)
    url = reverse("careers:organisation_aliases", args=[bri.pk])

    assert client.post(url, {"name": "Bank BRI"}).status_code == 302
    alias = OrganisationAlias.objects.get(organisation=bri)
    assert alias.name == "Bank BRI"
    assert "Bank BRI" in client.get(url).content.decode()

    again = client.post(url, {"name": "bank bri"})
    assert again.status_code == 200
    assert again.context["form"].errors

    assert client.post(url, {"remove": str(alias.pk)}).status_code == 302
    assert not OrganisationAlias.objects.exists()


def test_merging_asks_first_and_an_unconfirmed_post_changes_nothing(staff_x, bri):
    duplicate = organisation_resolve(name="BRI Unit Gejayan")
    client = client_for(staff_x)
    url = reverse("careers:organisation_merge", args=[bri.pk])

    search = client.get(url, {"q": "gejayan"})
    assert [o.pk for o in search.context["candidates"]] == [duplicate.pk]

    confirm_page = client.get(url, {"duplicate": str(duplicate.pk)})
    assert confirm_page.status_code == 200
    assert 'name="confirm" value="1"' in confirm_page.content.decode()
    unconfirmed = client.post(url, {"duplicate": str(duplicate.pk)})
    assert unconfirmed.status_code == 200
    assert Organisation.objects.filter(pk=duplicate.pk).exists()

    merged = client.post(url, {"duplicate": str(duplicate.pk), "confirm": "1"})

    assert merged.status_code == 302
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    assert AuditLog.objects.filter(action="careers.organisation.merged", actor=staff_x).count() == 1


def test_merging_an_organisation_into_itself_is_not_offered(staff_x, bri):
    response = client_for(staff_x).post(reverse("careers:organisation_merge", args=[bri.pk]),
                                        {"duplicate": str(bri.pk), "confirm": "1"})

    assert response.status_code == 200
    assert response.context["form"].errors["duplicate"]
    assert Organisation.objects.filter(pk=bri.pk).exists()


def test_a_pending_member_sees_nothing_of_organisations(pending_person, bri):
    AlumniProfile.objects.filter(user=pending_person).update(vis_career=Visibility.ALUMNI)
    client = client_for(pending_person)

    assert client.get(reverse("careers:organisations")).status_code == 403
    assert client.get(reverse("careers:organisation_detail", args=[bri.pk])).status_code == 403


def test_a_name_with_markup_is_shown_as_text(alumnus_a, staff_x):
    org = organisation_resolve(name='<script>alert("x")</script> PT Aman')

    for url in (reverse("careers:organisations"), reverse("careers:organisation_detail", args=[org.pk])):
        html = client_for(alumnus_a).get(url).content.decode()
        assert '<script>alert("x")</script>' not in html
        assert "&lt;script&gt;" in html
