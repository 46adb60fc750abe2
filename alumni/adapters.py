from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .login_throttle import TrustedDeviceAdapterMixin
from .privacy import consent_adopt_address, consent_prompt_due
from .services import profile_claim_by_email


class AccountAdapter(TrustedDeviceAdapterMixin, DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """After logging in: a person who has not decided on every purpose yet sees the consent screen once, then
        goes on where they were going."""
        return self._through_consent_screen(request, super().get_login_redirect_url(request))

    def get_signup_redirect_url(self, request):
        """After signing up, or confirming the address that signing up asked for (which logs in and may claim an
        imported record): the consent screen too (UU PDP: asked, not presumed)."""
        return self._through_consent_screen(request, super().get_signup_redirect_url(request))

    @staticmethod
    def _through_consent_screen(request, url: str) -> str:
        if request.user.is_authenticated and consent_prompt_due(user=request.user, session=request.session):
            return f"{reverse('alumni:privacy_choices')}?{urlencode({'next': url})}"
        return url

    def confirm_email(self, request, email_address):
        """Once an address is verified, link its owner to the imported alumni record with that address, and make
        the decisions recorded for that address without an account (an objection from an email) theirs. A record
        found is said so, in the person's language (they may not be signed in on this request yet)."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            user = email_address.user
            profile = profile_claim_by_email(user=user, email=email_address.email)
            consent_adopt_address(user=user, email=email_address.email)
            if profile is not None:
                with translation.override(user.language or translation.get_language()):
                    messages.success(request, claim_message(profile))
        return confirmed

    def login(self, request, user):
        """After logging in, the rest of the request speaks the person's saved language, as every later page does
        (alumni_portal.middleware.UserLanguageMiddleware): allauth's "signed in" message, made next, included.
        Otherwise it came in the language of the login page (the site's or the browser's) and stayed in it."""
        super().login(request, user)
        if user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language


def claim_message(profile) -> str:
    """What a person reads when their account was linked to the imported record of their study: which one."""
    values = {"program": profile.study_program, "cohort": profile.entry_year}
    if profile.is_student:
        text = _("We found your student record (%(program)s, cohort %(cohort)s) and linked it to this account.")
    else:
        text = _("We found your graduate record (%(program)s, cohort %(cohort)s) and linked it to this account.")
    return text % values
