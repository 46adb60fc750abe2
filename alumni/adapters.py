from allauth.account.adapter import DefaultAccountAdapter

from .login_throttle import TrustedDeviceAdapterMixin
from .services import profile_claim_by_email


class AccountAdapter(TrustedDeviceAdapterMixin, DefaultAccountAdapter):
    def confirm_email(self, request, email_address):
        """Once an address is verified, link its owner to the imported alumni record with that address."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            profile_claim_by_email(user=email_address.user, email=email_address.email)
        return confirmed
