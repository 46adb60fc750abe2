"""The staff dashboard's activity list reads in the reader's language (issue 14 §3): a consent shows its purpose's
label and "diberikan"/"ditarik", not "fundraising: granted (fundraising-2026-1)"; a gift shows "Rp 500.000", not
"500000". The entry keeps the text it was written with; core.registry's describers rebuild it for the reader."""

import datetime
import re
from decimal import Decimal

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from alumni import privacy
from alumni.models import Consent
from core.audit import audit_log
from core.models import AuditLog
from donations.models import Disbursement, Donation, Instalment, Pledge

from ..conftest import client_for
from ..factories import CampaignFactory

DASHBOARD = reverse("dashboard")


def activity(client) -> list[str]:
    """The activity list's rows about Ani (the staff member's own role is there too), text only, newest first."""
    html = client.get(DASHBOARD).content.decode()
    section = html.split('<ul class="list-group mb-4">', 1)[1].split("</ul>", 1)[0]
    rows = [" ".join(re.sub(r"<[^>]+>", " ", item.split(">", 1)[1]).split()) for item in section.split("<li")[1:]]
    return [row for row in rows if "Ani Lestari" in row or "ANON-" in row]


def consent(user, purpose, granted):
    version = privacy.CONSENT_WORDING[purpose][0]
    return privacy.consent_record(user=user, purpose=purpose, granted=granted, wording_version=version)


def test_consents_show_the_purpose_label_and_the_decision_in_the_readers_language(staff_x, alumnus_a):
    consent(alumnus_a, Consent.Purpose.FUNDRAISING, True)
    consent(alumnus_a, Consent.Purpose.TRACER, False)
    rows = activity(client_for(staff_x))
    assert len(rows) == 2
    with translation.override("id"):
        granted = f"Ani Lestari · {Consent.Purpose.FUNDRAISING.label}: {_('granted')}"
        withdrawn = f"Ani Lestari · {Consent.Purpose.TRACER.label}: {_('withdrawn')}"
    assert granted in rows[1] and withdrawn in rows[0]
    assert "diberikan" in rows[1]
    for row in rows:
        assert "fundraising" not in row and "tracer-20" not in row and "granted" not in row
    # The same entries for a reader of English, although they were written in Indonesian.
    staff_x.language = "en"
    staff_x.save(update_fields=["language"])
    rows = activity(client_for(staff_x))
    assert "Ani Lestari · Fundraising and donation contact: granted" in rows[1]
    assert "Ani Lestari · Tracer study invitations and reminders: withdrawn" in rows[0]


def test_amounts_read_as_rupiah(staff_x, alumnus_a, prodi_x):
    """Entries about a pledge, an instalment, a donation and a disbursement, written with the objects' own text
    (the objects need not exist any more: the list reads the entries alone)."""
    campaign = CampaignFactory.build(study_program=prodi_x, title="Beasiswa · Angkatan 2015")
    pledge = Pledge(donor=alumnus_a, campaign=campaign, amount=Decimal(25_000))
    targets = [
        ("donations.pledge.created", pledge),
        ("donations.pledge.paused", Instalment(pledge=pledge, due_on=datetime.date(2026, 12, 1))),
        ("donations.donation.submitted", Donation(donor=alumnus_a, campaign=campaign, amount=Decimal(500_000))),
        ("donations.disbursement.recorded", Disbursement(campaign=campaign, paid_on=datetime.date(2026, 11, 30),
                                                         amount=Decimal("1250000.00"))),
    ]
    for action, target in targets:
        target.pk = target.pk or 1
        audit_log(actor=alumnus_a, action=action, target=target, study_program=prodi_x)
    rows = activity(client_for(staff_x))
    assert len(rows) == 4
    assert "Ani Lestari · Beasiswa · Angkatan 2015 · Rp 500.000" in rows[1]
    assert "Ani Lestari · Beasiswa · Angkatan 2015 · Rp 25.000 · 2026-12-01" in rows[2]
    assert "Ani Lestari · Beasiswa · Angkatan 2015 · Rp 25.000" in rows[3]
    disbursement = AuditLog.objects.get(action="donations.disbursement.recorded")
    assert disbursement.target_label == "Beasiswa · Angkatan 2015 · 2026-11-30 · Rp 1.250.000"
    assert not any(re.search(r"\b(500000|25000)\b", row) for row in rows)


def test_a_scrubbed_entry_keeps_its_marker_and_an_unknown_text_is_shown_as_written(staff_x, alumnus_a, prodi_x):
    record = consent(alumnus_a, Consent.Purpose.FUNDRAISING, True)
    AuditLog.objects.filter(action="alumni.consent.granted").update(target_repr="ANON-1234567890",
                                                                   data={"redacted": True})
    audit_log(actor=staff_x, action="alumni.consent.granted", target=record, study_program=prodi_x,
              data={"purpose": "no-such-purpose"})
    rows = activity(client_for(staff_x))
    assert len(rows) == 2
    assert "ANON-1234567890" in rows[1]
    assert str(record) in rows[0]  # a purpose the describer does not know: the stored text
