"""The demo communities: a cohort group for every cohort with verified members, the Jawa Barat region group, the
SLiMS community (approved, announcement pinned, posts with a picture, its programs, solved and open questions), a
proposal waiting for staff; loaded once."""

import pytest
from django.core.management import call_command

from alumni.models import AlumniProfile
from community.models import Group, GroupProgram, HelpRequest, Membership, Post, PostImage, Report


@pytest.mark.django_db
def test_demo_communities_and_slims_questions_load_once(provinces):
    call_command("seed_demo")
    counts = (Group.objects.count(), Membership.objects.count(), Post.objects.count(), HelpRequest.objects.count())
    call_command("seed_demo")
    assert (Group.objects.count(), Membership.objects.count(), Post.objects.count(),
            HelpRequest.objects.count()) == counts

    cohorts = set(AlumniProfile.objects.filter(user__isnull=False, verification="verified")
                  .values_list("study_program_id", "entry_year"))
    assert set(Group.objects.filter(kind="cohort").values_list("study_program_id", "entry_year")) == cohorts
    assert len(cohorts) >= 3
    region = Group.objects.get(kind="region")
    assert region.province.name == "Jawa Barat" and region.memberships.filter(status="active").count() >= 5

    slims = Group.objects.get(name="Komunitas SLiMS Kediri Raya")
    assert (slims.kind, slims.status, slims.decided_by.email) == ("interest", "active", "staff.ip@demo.ac.id")
    admins = set(slims.memberships.filter(role="admin").values_list("user__email", flat=True))
    assert admins == {"budi.santoso@demo.ac.id", "siti.rahmawati@demo.ac.id"}
    assert Post.objects.get(group=slims, pinned=True).kind == "announcement"
    assert Post.objects.filter(group=slims).count() == 4
    assert PostImage.objects.filter(post__group=slims).count() == 1
    assert GroupProgram.objects.filter(group=slims).count() == 2
    assert sorted(HelpRequest.objects.filter(group=slims).values_list("status", flat=True)) == [
        "open", "open", "solved"]
    solved = HelpRequest.objects.get(status="solved")
    assert solved.solved_by_answer.author.email == "budi.santoso@demo.ac.id"
    assert Report.objects.count() == 1
    assert Group.objects.get(name="Forum Penulis Alumni").status == "waiting"
