from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

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
        the decisions recorded for that address without an account (an objection from an email) theirs."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            profile_claim_by_email(user=email_address.user, email=email_address.email)
            consent_adopt_address(user=email_address.user, email=email_address.email)
        return confirmed
