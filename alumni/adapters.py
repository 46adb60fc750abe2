from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from .login_throttle import TrustedDeviceAdapterMixin
from .services import profile_claim_by_email


class AccountAdapter(TrustedDeviceAdapterMixin, DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """After logging in (and after signing up, which logs in): a person who has not decided on every purpose
        yet sees the consent screen once, then goes on where they were going."""
        from .privacy import consent_prompt_due

        url = super().get_login_redirect_url(request)
        if consent_prompt_due(user=request.user, session=request.session):
            return f"{reverse('alumni:privacy_choices')}?{urlencode({'next': url})}"
        return url

    def confirm_email(self, request, email_address):
        """Once an address is verified, link its owner to the imported alumni record with that address."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            profile_claim_by_email(user=email_address.user, email=email_address.email)
        return confirmed
