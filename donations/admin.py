"""Giving in the admin (superusers only: alumni_portal/admin_site.py). Everything is read-only: campaigns are
edited on the portal's campaign page (which forbids a new kind once donations exist and audits status and payment
instruction changes); verification, receipt numbers and the balance check only happen through the services, so the
books cannot be changed around them."""

from django.contrib import admin

from core.admin_scoping import ReadOnlyAdmin

from .models import Campaign, CampaignItem, Disbursement, Donation, Pledge


class CampaignItemInline(admin.TabularInline):
    model = CampaignItem
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "study_program", "status", "starts_on", "ends_on", "goal_amount")
    list_filter = ("kind", "status")
    search_fields = ("title", "beneficiary")
    list_select_related = ("study_program",)
    inlines = [CampaignItemInline]


@admin.register(Donation)
class DonationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "campaign", "donor", "donor_name", "amount", "method", "status", "receipt_number")
    list_filter = ("status", "method")
    search_fields = ("receipt_number", "donor__email", "donor_name")
    list_select_related = ("campaign", "donor")


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "campaign", "donor", "amount", "frequency", "status", "next_due_on")
    list_filter = ("status", "frequency")
    list_select_related = ("campaign", "donor")


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = ("paid_on", "campaign", "amount", "purpose", "recorded_by")
    list_select_related = ("campaign", "recorded_by")
