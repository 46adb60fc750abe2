"""Who may be named as a graduate's supervisor for the employer survey (kepuasan pengguna lulusan, LKPS 8.e.2).

The employer survey is worth something only if someone other than the graduates rates them: a graduate may not
name their own email (their account's or their profile's), nor the email of any graduate or student record or
account of the institution, as their supervisor. Staff who send employer links themselves obey the same rule.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from alumni.models import AlumniProfile


def supervisor_email_refusal(*, profile: AlumniProfile, email: str, to_graduate: bool = True) -> str | None:
    """Why `email` cannot be the supervisor of the graduate `profile`, or None when it can (one query at most).
    `to_graduate`: the message speaks to the graduate (their answer form), else to staff."""
    email = (email or "").strip().lower()
    if not email:
        return None
    own = {(profile.email or "").lower()}
    if profile.user_id:
        own.add((profile.user.email or "").lower())
    if email in own:
        if to_graduate:
            return _("This is your own email. Give the email of your supervisor, who rates your work.")
        return _("This is the graduate's own email. Give the email of their supervisor.")
    institution_id = profile.study_program.faculty.institution_id
    graduate = AlumniProfile.objects.filter(
        Q(email__iexact=email) | Q(user__email__iexact=email),
        study_program__faculty__institution_id=institution_id,
    ).exists()
    if graduate:
        return _(
            "A graduate of the institution cannot be named as the supervisor of another graduate. Give the email of "
            "a supervisor who is not a graduate here."
        )
    return None
