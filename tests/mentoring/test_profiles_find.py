"""Mentor profiles and finding a mentor: the profile's rules (tags, capacity, formats, who may), pausing, the
staff's topic list, the search ranked by mentoring.scoring with its reasons, the card without contact or rating,
and the queries of the search and the home page at two sizes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditLog
from mentoring import services_profiles
from mentoring.models import Feedback, Format, MentorProfile, Mentorship, Topic
from tests.conftest import client_for

from .support_profiles import member, mentor, mentorship, province, topic

pytestmark = pytest.mark.django_db


# --- Profile -----------------------------------------------------------------------------------------------------


def test_a_member_opts_in_with_topics_normalised_tags_and_a_capacity(alumnus_b):
    slims = topic("Otomasi perpustakaan/SLiMS")
    profile = services_profiles.mentor_profile_save(
        user=alumnus_b, topics=[slims], tags="DSpace,  Akreditasi , dspace,", capacity=3,
        formats=[Format.ONLINE, Format.CHAT], languages=["id"], field="library", about=" Pustakawan 10 tahun. ",
    )
    assert profile.tags == ["dspace", "akreditasi"]
    assert list(profile.topics.all()) == [slims]
    assert (profile.capacity, profile.formats, profile.about) == (3, ["online", "chat"], "Pustakawan 10 tahun.")
    assert AuditLog.objects.filter(action="mentoring.profile.saved", actor=alumnus_b).count() == 1


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"tags": ",".join(f"t{i}" for i in range(11))}, "tags", "At most 10 tags."),
    ({"tags": "x" * 41}, "tags", "A tag is at most 40 characters"),
    ({"capacity": 0}, "capacity", "Choose between 1 and 10 mentees at once."),
    ({"capacity": 11}, "capacity", "Choose between 1 and 10 mentees at once."),
    ({"formats": []}, "formats", "Choose at least one format from the list."),
    ({"formats": ["telepathy"]}, "formats", "Choose at least one format from the list."),
    ({"languages": ["xx"]}, "languages", "Choose languages from the list."),
    ({"field": "astrology"}, "field", "Choose a field from the list."),
    ({"topics": [], "tags": ""}, "topics", "Choose at least one topic or write a tag."),
    ({"about": "x" * 2001}, "about", "At most 2000 characters."),
])
def test_bad_profile_input_is_refused_and_nothing_is_written(alumnus_b, changes, field, message):
    data = {"topics": [topic("Riset skripsi")], "tags": "", "capacity": 2, "formats": [Format.ONLINE]}
    data.update(changes)
    with pytest.raises(ValidationError) as exc:
        services_profiles.mentor_profile_save(user=alumnus_b, **data)
    assert any(m.startswith(message) for m in exc.value.message_dict[field])
    assert MentorProfile.objects.count() == 0


def test_an_inactive_topic_cannot_be_chosen(alumnus_b):
    old = topic("Lama")
    Topic.objects.filter(pk=old.pk).update(active=False)
    with pytest.raises(ValidationError):
        services_profiles.mentor_profile_save(user=alumnus_b, topics=[old], formats=[Format.ONLINE])


def test_pending_members_and_staff_cannot_be_mentors(pending_person, staff_x):
    for person in (pending_person, staff_x):
        with pytest.raises(PermissionDenied):
            services_profiles.mentor_profile_save(user=person, tags="slims", formats=[Format.ONLINE])
        assert client_for(person).get(reverse("mentoring:mentor_edit")).status_code == 403


def test_the_form_saves_and_bad_input_rerenders_with_the_message(alumnus_b):
    t = topic("Riset skripsi")
    client = client_for(alumnus_b)
    bad = client.post(reverse("mentoring:mentor_edit"), {"topics": [t.pk], "tags": "x" * 41, "capacity": 2,
                                                        "formats": ["online"]})
    assert bad.status_code == 200
    assert "A tag is at most 40 characters" in bad.content.decode()
    assert MentorProfile.objects.count() == 0
    ok = client.post(reverse("mentoring:mentor_edit"), {"topics": [t.pk], "tags": "SLiMS", "capacity": 2,
                                                       "formats": ["online", "in_person"], "languages": ["id"]})
    assert ok.status_code == 302
    assert MentorProfile.objects.get(user=alumnus_b).tags == ["slims"]


def test_pausing_hides_the_mentor_and_resuming_shows_them(alumnus_b, student):
    profile = mentor(alumnus_b, topics=[topic("Riset skripsi")])
    client = client_for(alumnus_b)
    client.post(reverse("mentoring:mentor_pause"), {"paused": "1"})
    profile.refresh_from_db()
    assert profile.paused
    assert client_for(student).get(reverse("mentoring:mentor_detail", args=[profile.pk])).status_code == 404
    assert "Bagus Pratama" not in client_for(student).get(reverse("mentoring:find")).content.decode()
    client.post(reverse("mentoring:mentor_pause"), {"paused": "0"})
    profile.refresh_from_db()
    assert not profile.paused
    assert "Bagus Pratama" in client_for(student).get(reverse("mentoring:find")).content.decode()


# --- Topics (staff) ----------------------------------------------------------------------------------------------


def test_staff_add_and_deactivate_topics_and_a_duplicate_is_refused(staff_x, alumnus_a):
    client = client_for(staff_x)
    assert client.post(reverse("mentoring:topics"), {"name": "Beasiswa S2"}).status_code == 302
    again = client.post(reverse("mentoring:topics"), {"name": "beasiswa  s2"})
    assert again.status_code == 200
    assert "This topic is on the list already." in again.content.decode()
    t = Topic.objects.get()
    client.post(reverse("mentoring:topic_toggle", args=[t.pk]))
    t.refresh_from_db()
    assert not t.active
    with pytest.raises(PermissionDenied):
        services_profiles.topic_add(by=alumnus_a, name="X")


# --- Find --------------------------------------------------------------------------------------------------------


@pytest.fixture
def mentors(provinces, prodi_x, prodi_y):
    """Three mentors for Dewi (a student of prodi X in Jawa Barat) who wants "Riset skripsi" in person:
    Citra shares the topic, the study program and Jawa Barat; Dodi shares the topic only; Eka (prodi Y) shares a
    tag; Fajar is full; Gita is paused."""
    skripsi, slims = topic("Riset skripsi"), topic("Otomasi perpustakaan/SLiMS")
    jabar = province("Jawa Barat")
    people = {
        "citra": member(prodi_x, "Citra Mentor", email="citra@example.org", province=jabar),
        "dodi": member(prodi_y, "Dodi Mentor", email="dodi@example.org"),
        "eka": member(prodi_y, "Eka Mentor", email="eka@example.org"),
        "fajar": member(prodi_x, "Fajar Penuh", email="fajar@example.org"),
        "gita": member(prodi_x, "Gita Jeda", email="gita@example.org"),
    }
    mentor(people["citra"], topics=[skripsi], formats=[Format.IN_PERSON, Format.ONLINE], province=jabar,
           capacity=1)
    mentor(people["dodi"], topics=[skripsi, slims], capacity=1)
    mentor(people["eka"], topics=[slims], tags=["metodologi"], capacity=1)
    mentor(people["fajar"], topics=[skripsi], capacity=1)
    mentorship(people["fajar"], member(prodi_x, "Mentee Fajar"), prodi=prodi_x)
    mentor(people["gita"], topics=[skripsi], paused=True)
    return {"skripsi": skripsi, "slims": slims, "jabar": jabar, **people}


def test_find_ranks_by_the_score_and_shows_the_reasons_without_contacts(mentors, student):
    from alumni.models import AlumniProfile

    AlumniProfile.objects.filter(user=student).update(province=mentors["jabar"])
    response = client_for(student).get(reverse("mentoring:find"), {
        "topics": [mentors["skripsi"].pk], "tags": "Metodologi", "format": "in_person", "text": "Proposal",
    })
    html = response.content.decode()
    assert response.status_code == 200
    order = [html.index(name) for name in ("Citra Mentor", "Dodi Mentor", "Eka Mentor")]
    assert order == sorted(order)
    assert "Fajar Penuh" not in html and "Gita Jeda" not in html
    assert "1 shared topic · same study program · Jawa Barat" in html
    assert "1 shared tag" in html
    for address in ("citra@example.org", "dodi@example.org", "eka@example.org"):
        assert address not in html
    assert "3 mentors with a free place" in html


def test_the_mentee_is_never_suggested_to_themself(mentors):
    response = client_for(mentors["citra"]).get(reverse("mentoring:find"), {"topics": [mentors["skripsi"].pk]})
    assert "Citra Mentor</a>" not in response.content.decode()


def _mentors(prodi, n, skripsi, start=0):
    for i in range(start, start + n):
        mentor(member(prodi, f"Mentor {i}", email=f"mentor{i}@example.org"), topics=[skripsi], capacity=2)


def test_find_and_home_run_a_fixed_number_of_queries_at_two_sizes(prodi_x, student,
                                                                   django_assert_max_num_queries):
    skripsi = topic("Riset skripsi")
    client = client_for(student)
    client.get(reverse("mentoring:find"))  # session, scope cache warm
    for size in (3, 40):
        _mentors(prodi_x, size, skripsi, start=1000 if size == 40 else 0)
        with django_assert_max_num_queries(12):
            response = client.get(reverse("mentoring:find"), {"topics": [skripsi.pk], "page": 2 if size == 40 else 1})
        assert response.status_code == 200
        with django_assert_max_num_queries(8):
            assert client.get(reverse("mentoring:home")).status_code == 200


def test_find_paginates(prodi_x, student):
    skripsi = topic("Riset skripsi")
    _mentors(prodi_x, 25, skripsi)
    page2 = client_for(student).get(reverse("mentoring:find"), {"topics": [skripsi.pk], "page": 2}).content.decode()
    assert "Page 2 of 2" in page2
    assert page2.count("mentor-card") == 5


def test_the_mentor_card_shows_topics_formats_and_places_never_rating_or_contact(prodi_x, alumnus_b, student):
    skripsi = topic("Riset skripsi")
    profile = mentor(alumnus_b, topics=[skripsi], capacity=2, formats=[Format.CHAT])
    for i in range(6):
        m = mentorship(alumnus_b, member(prodi_x, f"Mentee {i}"), prodi=prodi_x, status=Mentorship.Status.ENDED)
        Feedback.objects.create(mentorship=m, side=Feedback.Side.MENTEE, rating=2, by=m.mentee)
    html = client_for(student).get(reverse("mentoring:mentor_detail", args=[profile.pk])).content.decode()
    assert "Riset skripsi" in html and "By chat" in html and "2 free places of 2" in html
    assert "bagus@example.org" not in html
    assert "rating" not in html.lower()


# --- Home --------------------------------------------------------------------------------------------------------


def test_home_shows_my_profile_requests_both_ways_mentorships_and_the_links(prodi_x, alumnus_a, alumnus_b, student):
    from mentoring.models import MentorshipRequest

    profile = mentor(alumnus_b, topics=[topic("Riset skripsi")], capacity=3)
    mentorship(alumnus_b, alumnus_a, prodi=prodi_x)
    MentorshipRequest.objects.create(mentee=student, mentor=alumnus_b, help_with="Proposal")
    html = client_for(alumnus_b).get(reverse("mentoring:home")).content.decode()
    assert "2 free places of 3" in html and "Riset skripsi" in html
    assert "Mentoring Ani Lestari" in html and "Dewi Mahasiswi" in html
    assert reverse("mentoring:find") in html and reverse("mentoring:rounds") in html
    assert "dewi@student.example.org" not in html and "ani@example.org" not in html
    mine = client_for(student).get(reverse("mentoring:home")).content.decode()
    assert "Become a mentor" in mine and "Bagus Pratama" in mine and "Waiting for the mentor" in mine
    assert profile.pk
