"""The permission matrix: every portal URL, requested by every persona, with the status each must get.

A new URL without a row here fails `test_every_portal_url_is_in_the_matrix`.
"""

import pytest
from django.urls import get_resolver, reverse

from alumni.models import AlumniProfile, ImportJob
from programs.models import Participation
from programs.services import calendar_feed_for, team_invite

from ..conftest import client_for
from ..factories import EmploymentFactory, ProgramFactory, SessionFactory

# "pending" signed up and declared a record in prodi X (A's cohort) that nobody has verified yet: public pages,
# their own profile and the status of their request, nothing of other members.
PERSONAS = ["anonymous", "alumnus_a", "alumnus_b", "pending", "staff_x", "staff_y", "admin_user"]
LOGIN = "login"  # a redirect to the login page

TRACER_ADMIN_ONLY = {
    "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
    "pending": 403, "staff_x": 403, "staff_y": 403, "admin_user": 200,
}

LKPS_OWN = {
    "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
    "pending": 403, "staff_x": 200, "staff_y": 404, "admin_user": 200,
}

DONOR_OWN = {
    "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 404,
    "pending": 404, "staff_x": 200, "staff_y": 404, "admin_user": 200,
}
DONOR_ONLY = {
    "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 404,
    "pending": 404, "staff_x": 404, "staff_y": 404, "admin_user": 404,
}
STAFF_PAGE = {
    "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
    "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
}
CAMPAIGN_STAFF = {**STAFF_PAGE, "staff_y": 404}
INSTITUTION_ADMIN = {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 403, "staff_y": 403, "admin_user": 200,
    }

# url name -> (method, how to build args from the objects, {persona: expected status})
MATRIX = {
    "home": ("get", None, dict.fromkeys(PERSONAS, 200)),
    "dashboard": ("get", None, {**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN}),
    # A pending person is sent to their own profile, where the state of their verification request shows.
    "alumni:directory": ("get", None, {**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN, "pending": 302}),
    # Staff data tools: exports and duplicates are for staff of the study program (others 403); staff Y cannot even
    # find a record of X to merge (404).
    "alumni:export_csv": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    "alumni:export_xlsx": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    "alumni:duplicates": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    "alumni:duplicate_merge": ("get", "profile_a", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "alumni:my_profile": ("get", None, {**dict.fromkeys(PERSONAS, 302), "anonymous": LOGIN}),
    "alumni:profile_create": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 302, "alumnus_b": 302,
        "pending": 302, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    # Verified membership: a pending person corrects their own request (others have none: 302); staff of the
    # study program and admins work the queue (staff Y cannot reach a request of X: 404); only verified classmates
    # of the request's program and cohort may vouch (everyone else, the person themselves included, 404). The POSTs
    # carry no decision, so they decide nothing and return to the page.
    "alumni:profile_resubmit": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 302, "alumnus_b": 302,
        "pending": 200, "staff_x": 302, "staff_y": 302, "admin_user": 302,
    }),
    "alumni:verification_queue": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    "alumni:verification_decide": ("post", "pending_profile", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 302, "staff_y": 404, "admin_user": 302,
    }),
    "alumni:vouch": ("post", "pending_profile", {
        "anonymous": LOGIN, "alumnus_a": 302, "alumnus_b": 302,
        "pending": 404, "staff_x": 404, "staff_y": 404, "admin_user": 404,
    }),
    "alumni:profile_edit": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 200,
        "pending": 200, "staff_x": 302, "staff_y": 302, "admin_user": 302,
    }),
    # The academic record: its owner asks for a correction (people without a record are sent to create one) and
    # may withdraw the request they have waiting (A has one); staff of the study program decide and edit records.
    "alumni:correction": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 200,
        "pending": 200, "staff_x": 302, "staff_y": 302, "admin_user": 302,
    }),
    "alumni:correction_withdraw": ("post", None, {
        "anonymous": LOGIN, "alumnus_a": 302, "alumnus_b": 404,
        "pending": 404, "staff_x": 404, "staff_y": 404, "admin_user": 404,
    }),
    "alumni:corrections": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    "alumni:correction_decide": ("get", "correction", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "alumni:record_edit": ("get", "profile_a", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "alumni:employment_create": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 200,
        "pending": 200, "staff_x": 302, "staff_y": 302, "admin_user": 302,
    }),
    "alumni:profile": ("get", "profile_a", {
        # B is a fellow member; staff Y runs another study program and is no member.
        "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 200,
        "pending": 404, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    # Their own profile as staff of their study program see it: whoever has a record (pending included); people
    # without one are sent to create it.
    "alumni:profile_preview": ("get", "preview_kind", {
        "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 200,
        "pending": 200, "staff_x": 302, "staff_y": 302, "admin_user": 302,
    }),
    "alumni:photo": ("get", "profile_a", {
        "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 404,
        "pending": 404, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "alumni:employment_edit": ("get", "job_a", {
        "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 404,
        "pending": 404, "staff_x": 404, "staff_y": 404, "admin_user": 404,
    }),
    "alumni:employment_delete": ("post", "job_a", {
        "anonymous": LOGIN, "alumnus_a": 302, "alumnus_b": 404,
        "pending": 404, "staff_x": 404, "staff_y": 404, "admin_user": 404,
    }),
    # Privacy & my data: every page is about the logged-in person only (no URL names anyone else).
    "alumni:privacy": ("get", None, {**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN}),
    # The consent screen is about the logged-in person only (a pending person decides too).
    "alumni:privacy_choices": ("get", None, {**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN}),
    "alumni:privacy_export": ("get", None, {**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN}),
    "alumni:privacy_delete": ("get", None, {**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN}),
    "alumni:privacy_goodbye": ("get", None, dict.fromkeys(PERSONAS, 200)),
    # Alumni import: staff only (others 403); a job is its creator's (staff X made "import_job"), others 404.
    "alumni:import": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    # The template to fill in (header and example row): for whoever may import.
    "alumni:import_template": ("get", "import_template_kind", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    "alumni:import_job": ("get", "import_job", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 404, "admin_user": 404,
    }),
    "alumni:import_status": ("get", "import_job", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 404, "admin_user": 404,
    }),
    "alumni:import_confirm": ("post", "import_job", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 302, "staff_y": 404, "admin_user": 404,
    }),
    # Staff X's job with one open conflict on A's record: any staff of A's study program decides (the POST names no
    # decision, so it just redirects); the list shows each person their programs' open conflicts.
    "alumni:import_conflicts": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    "alumni:import_conflict_resolve": ("post", "import_conflict", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 302, "staff_y": 404, "admin_user": 302,
    }),
    # Sending invitations asks first: a POST without the confirmation flag shows how many would be invited.
    "alumni:import_invite": ("post", "import_job", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 404, "admin_user": 404,
    }),
    # Run again: the job is done (nothing to run again), so its creator is just sent back to it.
    "alumni:import_run_again": ("post", "import_job", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 302, "staff_y": 404, "admin_user": 404,
    }),
    "set_language": ("post", None, dict.fromkeys(PERSONAS, 302)),
    "notification_preferences": ("get", None, {**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN}),
    # The Django admin is for superusers only: every /admin/ URL, for every persona, is checked by
    # tests/alumni_portal/test_admin_door.py (see test_every_admin_url_is_in_the_door_test below).
    # What institution admins did there now has portal pages (403 for everyone else, staff included); revoking
    # staff Y's role is a POST that returns to the roles page.
    "alumni:roles": ("get", None, INSTITUTION_ADMIN),
    "alumni:role_revoke": ("post", "role_y", {**INSTITUTION_ADMIN, "admin_user": 302}),
    "alumni:units": ("get", None, INSTITUTION_ADMIN),
    "alumni:faculty_create": ("get", None, INSTITUTION_ADMIN),
    "alumni:faculty_edit": ("get", "faculty", INSTITUTION_ADMIN),
    "alumni:program_create": ("get", None, INSTITUTION_ADMIN),
    "alumni:program_edit": ("get", "prodi", INSTITUTION_ADMIN),
    # Programs. "members_program" is for alumni (not public) in prodi X, running, with a session a week away and
    # one team member; "public_session" belongs to a public program; "proposal" is alumnus A's, in prodi X.
    "programs:list": ("get", None, dict.fromkeys(PERSONAS, 200)),
    "programs:propose": ("get", None, {**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN}),
    "programs:create": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    "programs:proposals": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    "programs:health": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    # The session calendar: anyone; each sees the sessions of the programs they may see (its own tests).
    "programs:agenda": ("get", None, dict.fromkeys(PERSONAS, 200)),
    "programs:calendar": ("get", None, {**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN}),
    "programs:calendar_reset": ("post", None, {**dict.fromkeys(PERSONAS, 302), "anonymous": LOGIN}),
    # The secret token is the credential: whoever holds alumnus A's feed URL gets it, logged in or not.
    "programs:calendar_feed": ("get", "feed_token", dict.fromkeys(PERSONAS, 200)),
    "programs:detail": ("get", "members_program", {
        # Staff Y runs another study program and is no member: a members-only program of X does not exist for Y.
        "anonymous": 404, "alumnus_a": 200, "alumnus_b": 200,
        "pending": 404, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "programs:edit": ("get", "members_program", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 404, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "programs:transition": ("post", "members_program", {
        # Staff get the form back (no target status was posted); alumni may not move this program at all.
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 404, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "programs:approve": ("get", "proposal", {
        # The proposer sees the proposal but does not decide on it; other alumni do not see it.
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 404,
        "pending": 404, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "programs:reject": ("get", "proposal", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 404,
        "pending": 404, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "programs:team_add": ("post", "members_program", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 404, "staff_x": 302, "staff_y": 404, "admin_user": 302,
    }),
    # Removing a team member and withdrawing an invitation ask first: an unconfirmed POST (or a GET) shows what
    # happens and changes nothing.
    "programs:team_remove": ("post", "team_member", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 404, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    # A team invitation is for the invited person alone (A here, sent by staff X): everyone else gets 404.
    "programs:invitation": ("get", "team_invitation", {
        "anonymous": LOGIN, "alumnus_a": 200, "alumnus_b": 404,
        "pending": 404, "staff_x": 404, "staff_y": 404, "admin_user": 404,
    }),
    "programs:invitation_withdraw": ("post", "team_invitation", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 404, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "programs:session_create": ("get", "members_program", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 404, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "programs:session": ("get", "members_session", {
        "anonymous": 404, "alumnus_a": 200, "alumnus_b": 200,
        "pending": 404, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "programs:session_edit": ("get", "members_session", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 404, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "programs:session_cancel": ("get", "members_session", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 404, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "programs:session_register": ("post", "members_session", {
        **dict.fromkeys(PERSONAS, 302), "anonymous": LOGIN, "pending": 404, "staff_y": 404,
    }),
    "programs:session_unregister": ("post", "members_session", {
        **dict.fromkeys(PERSONAS, 302), "anonymous": LOGIN, "pending": 404, "staff_y": 404,
    }),
    "programs:session_attendance": ("post", "members_session", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 404, "staff_x": 302, "staff_y": 404, "admin_user": 302,
    }),
    "programs:session_ics": ("get", "public_session", dict.fromkeys(PERSONAS, 200)),
    # Tracer answering: the token in the link is the credential (alumnus A's invitation in an open wave), for
    # anyone holding it; the thank-you page sends back to the form until the response is submitted.
    "tracer:my_surveys": ("get", None, {**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN}),
    "tracer:employer_invite": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    "tracer:answer": ("get", "tracer_token", dict.fromkeys(PERSONAS, 200)),
    "tracer:answer_done": ("get", "tracer_token", dict.fromkeys(PERSONAS, 302)),
    # The stop link of tracer emails: the token is the credential, everyone gets the same page (a wrong token 404s:
    # test_stop_link_with_a_wrong_token_is_404 below).
    "tracer:stop": ("get", "tracer_token", dict.fromkeys(PERSONAS, 200)),
    # Its RFC 8058 one-click address: a GET leads everyone to the stop page (a POST objects: test_stop_link.py).
    "tracer:stop_one_click": ("get", "tracer_token", dict.fromkeys(PERSONAS, 302)),
    # Tracer results, national-layout export and import: staff only; "results_wave" covers prodi X only.
    "tracer:results": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    "tracer:wave_results": ("get", "results_wave", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "tracer:wave_export": ("get", "results_wave", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "tracer:import_responses": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    # Tracer admin side: the survey builder and creating/launching waves are for institution admins; staff read the
    # waves of their study programs (the wave covers X only: staff Y gets 404).
    "tracer:surveys": ("get", None, TRACER_ADMIN_ONLY),
    "tracer:survey": ("get", "tracer_version", TRACER_ADMIN_ONLY),
    "tracer:question_add": ("get", "tracer_version", TRACER_ADMIN_ONLY),
    "tracer:survey_edit": ("get", "tracer_question", TRACER_ADMIN_ONLY),
    # Removing a question and launching a wave ask first: the GET is the confirmation page.
    "tracer:question_delete": ("get", "tracer_question", TRACER_ADMIN_ONLY),
    "tracer:waves": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    "tracer:wave_create": ("get", None, TRACER_ADMIN_ONLY),
    "tracer:wave": ("get", "tracer_wave", {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 404, "admin_user": 200,
    }),
    "tracer:wave_launch": ("get", "tracer_wave", TRACER_ADMIN_ONLY),
    "tracer:wave_close": ("get", "tracer_wave", TRACER_ADMIN_ONLY),
    # Accreditation report: staff of the study program (and its institution's admins); staff Y runs another
    # program (404); alumni are not staff (403). Downloads are audited.
    "tracer:lkps_index": ("get", None, {
        "anonymous": LOGIN, "alumnus_a": 403, "alumnus_b": 403,
        "pending": 403, "staff_x": 200, "staff_y": 200, "admin_user": 200,
    }),
    **{name: ("get", "lkps", LKPS_OWN) for name in (
        "tracer:lkps", "tracer:lkps_plans", "tracer:lkps_xlsx", "tracer:lkps_pdf", "tracer:lkps_evidence_xlsx")},
    "tracer:lkps_cell": ("get", "lkps_cell", LKPS_OWN),
    # A POST without a target: staff of the program see the IKU-1 tab again with the error (200).
    "tracer:lkps_iku_target": ("post", "lkps", LKPS_OWN),
    "tracer:lkps_csv": ("get", "lkps_csv", LKPS_OWN),
    # Giving: campaign pages and the ledger are public (transparency); a donor's pledges, donations, proofs and
    # receipts are theirs and their campaign's staff's (others 404); running campaigns is for staff (alumni 403).
    **{name: ("get", arg, dict.fromkeys(PERSONAS, 200)) for name, arg in (
        ("donations:campaigns", None), ("donations:campaign", "campaign"), ("donations:ledger", "campaign"),
        ("donations:ledger_export", "ledger_csv"), ("donations:disbursement_proof", "disbursement"),
        ("donations:campaign_image", "campaign_image"), ("donations:campaign_cover", "campaign"))},
    **{name: ("get", "campaign", {**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN})
       for name in ("donations:pledge_create", "donations:donate")},
    "donations:mine": ("get", None, {**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN}),
    **{name: ("get", arg, DONOR_OWN) for name, arg in (
        ("donations:pledge", "pledge"), ("donations:donation", "donation"), ("donations:donation_proof", "donation"),
        ("donations:receipt", "donation"))},
    **{f"donations:pledge_{action}": ("post", "pledge", {**DONOR_ONLY, "alumnus_a": 302})
       for action in ("pause", "resume", "stop")},
    **{name: ("get", None, STAFF_PAGE) for name in (
        "donations:manage", "donations:campaign_create", "donations:verify_queue", "donations:reports")},
    **{name: ("get", "campaign", CAMPAIGN_STAFF) for name in (
        "donations:campaign_edit", "donations:update_create", "donations:disbursement_create",
        "donations:donation_record")},
    # Verify, reject and void ask first: the GET is the confirmation page (what will happen), for those who run the
    # campaign; "donation" is verified, so it can be voided.
    "donations:donation_reject": ("get", "pending_donation", CAMPAIGN_STAFF),
    "donations:donation_verify": ("get", "pending_donation", CAMPAIGN_STAFF),
    "donations:donation_void": ("get", "donation", CAMPAIGN_STAFF),
    "tracer:minimum_wages": ("get", None, INSTITUTION_ADMIN),
}


def _tracer_invitation(profile):
    import datetime

    from django.utils import timezone

    from tracer.models import Invitation, Survey, Wave

    now = timezone.now()
    version = Survey.objects.get(slug="dikti-core").latest_version()
    wave = Wave.objects.create(version=version, title="Tracer 2025", opens_at=now - datetime.timedelta(days=1),
                               closes_at=now + datetime.timedelta(days=30), launched_at=now)
    return Invitation.objects.create(version=version, wave=wave, profile=profile)


def _tracer_version():
    from tracer.models import Question, Survey, SurveyVersion

    survey = Survey.objects.create(slug="matrix", title="Survei matriks")
    version = SurveyVersion.objects.create(survey=survey, number=1)
    Question.objects.create(version=version, code="f8", position=1, type="text", text="Status?")
    return version


def _tracer_wave(admin_user, version, study_program):
    import datetime

    from django.utils import timezone

    from tracer.services import wave_create

    opens = timezone.now() - datetime.timedelta(days=1)
    return wave_create(
        by=admin_user, title="Tracer matriks", version=version, study_programs=[study_program],
        graduation_years=[2019], opens_at=opens, closes_at=opens + datetime.timedelta(days=30), reminder_days=[7],
        max_reminders=1,
    )


@pytest.fixture
def objects(alumnus_a, alumnus_b, pending_person, staff_x, staff_y, admin_user, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_profile import tiny_png

    settings.MEDIA_ROOT = str(tmp_path)
    profile_a = AlumniProfile.objects.get(user=alumnus_a)
    profile_a.photo = SimpleUploadedFile("me.png", tiny_png(), content_type="image/png")
    profile_a.vis_photo = "staff"
    profile_a.save()
    members_program = ProgramFactory(study_program=profile_a.study_program, title="Mentoring Skripsi",
                                     audience="alumni")
    public_program = ProgramFactory(study_program=profile_a.study_program, title="Kuliah Tamu", audience="public")
    proposal = ProgramFactory(study_program=profile_a.study_program, title="Reuni Angkatan", status="proposed",
                              proposed_by=alumnus_a)
    tracer_version = _tracer_version()
    return {
        "tracer_version": tracer_version,
        "tracer_question": tracer_version.questions.get(code="f8"),
        "tracer_wave": _tracer_wave(admin_user, tracer_version, profile_a.study_program),
        "profile_a": profile_a,
        "role_y": staff_y.roles.get(),
        "faculty": profile_a.study_program.faculty,
        "prodi": profile_a.study_program,
        "pending_profile": AlumniProfile.objects.get(user=pending_person),
        "job_a": EmploymentFactory(profile=profile_a),
        **_academic_record(profile_a, alumnus_a, staff_x),
        "members_program": members_program,
        "members_session": SessionFactory(program=members_program),
        "team_member": Participation.objects.create(program=members_program, user=alumnus_b, role="mentor"),
        "team_invitation": team_invite(program=members_program, by=staff_x, email=alumnus_a.email, role="committee"),
        "public_session": SessionFactory(program=public_program),
        "proposal": proposal,
        "feed_token": calendar_feed_for(user=alumnus_a).token,
        "import_template_kind": "xlsx",
        "tracer_token": _tracer_invitation(profile_a).token,
        "results_wave": _results_wave(profile_a.study_program),
        **_giving(profile_a.study_program, alumnus_a, staff_x),
        "lkps": (profile_a.study_program.code, 2025, ""),
        "preview_kind": ("staff", ""),
        "lkps_cell": (profile_a.study_program.code, 2025, "?column=graduates&year=2021"),
        "lkps_csv": (profile_a.study_program.code, 2025, "8d1", ""),
        # Imported and done, so that confirm (nothing to confirm) and run again (it did not fail) just redirect, and
        # invite shows whom it would invite.
        "import_job": ImportJob.objects.create(
            created_by=staff_x, original_name="alumni.csv", status=ImportJob.Status.DONE,
            file=SimpleUploadedFile("alumni.csv", b"nim,full_name,email,study_program,entry_year,graduation_date\n"
                                                  b"15710001,Ani Lestari,ani@example.org,71201,2015,2019-08-25\n"),
        ),
    }


def _academic_record(profile, owner, staff):
    """A's correction request waiting for staff; a done import by staff X with an open conflict on A's record."""
    from alumni.models import ImportConflict
    from alumni.records import correction_request

    correction = correction_request(profile=profile, by=owner, requested={"full_name": "Ani Lestari Putri"},
                                    reason="Nama di ijazah")
    job = ImportJob.objects.create(created_by=staff, original_name="rename.csv", status=ImportJob.Status.DONE)
    conflict = ImportConflict.objects.create(job=job, profile=profile, row_number=2,
                                             differences={"full_name": [profile.full_name, "Someone Else"]})
    return {"correction": correction, "import_conflict": (job.pk, conflict.pk, "")}


def _giving(program, donor, staff):
    """An open campaign of prodi X with a picture and a disbursement with proof; A's pledge, A's verified donation
    with proof, and a pending one."""
    import datetime
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from donations import services
    from donations.models import Campaign, CampaignImage
    from donations.services import Gift, PledgeTerms

    from .test_profile import tiny_png

    today = datetime.date.today()
    campaign = Campaign.objects.create(
        institution=program.faculty.institution, study_program=program, title="Wakaf Jumat", kind="endowment",
        description="Sumur", beneficiary="Desa", goal_amount=Decimal(1_000_000), starts_on=today, status="open",
        cover=ContentFile(tiny_png(), name="cover.png"),
    )
    image = CampaignImage.objects.create(campaign=campaign, image=ContentFile(tiny_png(), name="well.png"))
    pledge = services.pledge_create(donor=donor, campaign=campaign, terms=PledgeTerms(
        amount=Decimal(10_000), frequency="weekly", weekday=4, starts_on=today))
    proof = ContentFile(b"%PDF-1.4 proof", name="proof.pdf")
    gift = Gift(amount=Decimal(50_000), method="bank_transfer", paid_on=today, proof=proof)
    donation = services.donation_submit(campaign=campaign, donor=donor, gift=gift)
    services.donation_verify(donation_id=donation.pk, user=staff)
    pending = services.donation_submit(campaign=campaign, donor=donor, gift=Gift(
        amount=Decimal(20_000), method="cash", paid_on=today))
    disbursement = services.disbursement_record(
        campaign=campaign, user=staff, amount=Decimal(10_000), paid_on=today, purpose="Survei",
        proof=ContentFile(b"%PDF-1.4 invoice", name="invoice.pdf"))
    return {"campaign": campaign, "campaign_image": image, "ledger_csv": (campaign.pk, "csv", ""), "pledge": pledge,
            "donation": donation, "pending_donation": pending, "disbursement": disbursement}


def _results_wave(program):
    from tests.tracer.test_results import make_wave

    return make_wave([program], title="Tracer results (matrix)")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(MATRIX))
def test_permission_matrix(name, persona, objects, request):
    method, arg, expected = MATRIX[name]
    fixture = {"anonymous": "anonymous", "pending": "pending_person"}.get(persona, persona)
    user = request.getfixturevalue(fixture)
    value = objects[arg] if arg else None
    query = ""
    if isinstance(value, tuple):  # several URL arguments, and a query string last
        *args, query = value
    else:
        args = [] if value is None else [value if isinstance(value, str) else value.pk]
    url = reverse(name, args=args) + query
    client = client_for(user)
    response = client.post(url, {"language": "id", "next": "/"}) if method == "post" else client.get(url)
    want = expected[persona]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == want, f"{persona} {method.upper()} {url}"


# An approved employer contact (careers) is a signed-in person with no alumni record and no role: on every page
# above they get what the pending person gets (public pages, their own account and privacy pages, nothing of
# members or of a study program's data), except the pages about one's own record, which send them to create one.
EMPLOYER_UNLIKE_PENDING = {
    "alumni:profile_create": 200, "alumni:profile_resubmit": 302, "alumni:profile_edit": 302,
    "alumni:correction": 302, "alumni:employment_create": 302, "alumni:profile_preview": 302,
}


@pytest.mark.parametrize("name", list(MATRIX))
def test_an_employer_contact_sees_no_member_or_staff_page(name, objects, employer_contact):
    method, arg, expected = MATRIX[name]
    value = objects[arg] if arg else None
    query = ""
    if isinstance(value, tuple):
        *args, query = value
    else:
        args = [] if value is None else [value if isinstance(value, str) else value.pk]
    url = reverse(name, args=args) + query
    client = client_for(employer_contact)
    response = client.post(url, {"language": "id", "next": "/"}) if method == "post" else client.get(url)
    want = EMPLOYER_UNLIKE_PENDING.get(name, expected["pending"])
    assert response.status_code == want, f"employer {method.upper()} {url}"
    if name in EMPLOYER_UNLIKE_PENDING and want == 302:
        assert response["Location"] == reverse("alumni:profile_create")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_stop_link_with_a_wrong_token_is_404(persona, method, objects, request):
    from alumni.models import Consent

    fixture = {"anonymous": "anonymous", "pending": "pending_person"}.get(persona, persona)
    client = client_for(request.getfixturevalue(fixture))
    for name in ("tracer:stop", "tracer:stop_one_click"):
        url = reverse(name, args=[objects["tracer_token"] + "x"])
        response = client.post(url, {"List-Unsubscribe": "One-Click"}) if method == "post" else client.get(url)
        assert response.status_code == 404
    assert not Consent.objects.filter(wording_version="email-link").exists()


def _portal_url_names():
    names = set()
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        namespace = getattr(pattern, "namespace", None)
        if namespace in ("admin",) or getattr(pattern, "app_name", None) == "allauth":
            continue
        if namespace:
            names |= {f"{namespace}:{p.name}" for p in pattern.url_patterns if p.name}
        elif getattr(pattern, "name", None):
            names.add(pattern.name)
    return names


def test_every_portal_url_is_in_the_matrix():
    from tests.careers.test_permissions import MATRIX as CAREERS_MATRIX
    from tests.community.test_permissions import MATRIX as COMMUNITY_MATRIX
    from tests.mentoring.test_permissions import MATRIX as MENTORING_MATRIX

    missing = _portal_url_names() - set(MATRIX) - set(CAREERS_MATRIX) - set(MENTORING_MATRIX) - set(COMMUNITY_MATRIX)
    assert not missing, f"add these URLs to the permission matrix: {sorted(missing)}"


@pytest.mark.django_db
def test_every_admin_url_is_in_the_door_test():
    """The admin's rows of the matrix: tests/alumni_portal/test_admin_door.py requests every /admin/ URL as every
    persona here (and a person with is_staff but no role) and finds none that opens for a non-superuser."""
    from tests.alumni_portal.test_admin_door import admin_url_names, admin_urls

    built = {name.removeprefix("admin:") for name, _method, _url in admin_urls()}
    assert built == admin_url_names()
