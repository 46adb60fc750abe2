"""What the alumni app's audit actions and optional notification kinds are called: registered with core in
AlumniConfig.ready() (core.registry), so that the shared activity lists and preferences page can show them."""

from django.utils.translation import gettext_lazy as _

# {dotted action: label} of every audit entry this app writes.
AUDIT_ACTIONS = {
    "alumni.study_program.created": _("study program created"),
    "alumni.study_program.updated": _("study program changed"),
    "alumni.faculty.created": _("faculty added"),
    "alumni.faculty.updated": _("faculty renamed"),
    "alumni.role.granted": _("role granted"),
    "alumni.role.revoked": _("role revoked"),
    "alumni.profile.claimed": _("graduate record claimed by its owner"),
    "alumni.profile.created": _("graduate record created"),
    "alumni.profile.verified": _("graduate record verified"),
    "alumni.profile.refused": _("graduate record not verified"),
    "alumni.profile.resubmitted": _("verification requested again"),
    "alumni.profile.vouched": _("classmate vouched for"),
    "alumni.profile.not_vouched": _("classmate not recognised"),
    "alumni.profile.updated": _("profile updated"),
    "alumni.employment.created": _("job added"),
    "alumni.employment.updated": _("job updated"),
    "alumni.employment.deleted": _("job removed"),
    "alumni.profile.merged": _("duplicate records merged"),
    "alumni.import.done": _("alumni list imported"),
    "alumni.import.conflict_kept": _("import conflict: record kept"),
    "alumni.import.conflict_applied": _("import conflict: file applied"),
    "alumni.profile.record_updated": _("academic record changed"),
    "alumni.profile.detached": _("graduate record detached from an account"),
    "alumni.correction.requested": _("record correction requested"),
    "alumni.correction.withdrawn": _("record correction withdrawn"),
    "alumni.correction.accepted": _("record correction accepted"),
    "alumni.correction.refused": _("record correction refused"),
    "alumni.directory.exported": _("directory exported"),
    "alumni.consent.granted": _("consent given"),
    "alumni.consent.withdrawn": _("consent withdrawn"),
    "alumni.data.exported": _("personal data downloaded"),
    "alumni.account.deleted": _("account deleted"),
    "alumni.profile.viewed": _("profile viewed by staff"),
    "alumni.import.file_deleted": _("import file deleted after the retention period"),
}
