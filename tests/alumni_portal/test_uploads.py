"""Uploaded pictures are re-encoded by Pillow (issue 11 §4): profile photos and transfer slips are stored as a
JPEG, PNG or WebP that Pillow wrote, named by the detected format, at most 4,000 × 4,000 pixels, without EXIF;
a PDF proof is served as a download, every stored file with `X-Content-Type-Options: nosniff`."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from alumni.models import AlumniProfile
from core.images import MAX_IMAGE_SIDE, reencode_image
from donations import services
from donations.models import Disbursement, Donation
from donations.services import Gift
from tests.alumni.test_profile import profile_form
from tests.conftest import client_for
from tests.donations.test_giving import donate_data, donate_url, make_campaign

GPS_TAG = 0x8825  # GPSInfo
ARTIST_TAG = 0x013B


def jpeg_with_exif(size=(40, 30)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ARTIST_TAG] = "Ani Lestari"
    exif[GPS_TAG] = {1: "S", 2: (7.0, 46.0, 0.0), 3: "E", 4: (110.0, 22.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def png_bytes(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 110, 79)).save(buffer, format="PNG")
    return buffer.getvalue()


def stored_exif(field_file) -> dict:
    with field_file.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        return dict(image.getexif()), image.format


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def wakaf(prodi_x):
    return make_campaign(prodi_x)


# --- The shared helper ----------------------------------------------------------------------------------------

def test_reencode_names_by_detected_format_and_drops_metadata():
    upload = SimpleUploadedFile("holiday.png", jpeg_with_exif(), content_type="image/png")
    clean = reencode_image(upload)
    assert clean.name.endswith(".jpg") and "holiday" not in clean.name
    image = Image.open(io.BytesIO(clean.read()))
    assert image.format == "JPEG" and image.size == (40, 30)
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info


def test_reencode_refuses_more_than_4000_pixels_a_side():
    tall = SimpleUploadedFile("tall.png", png_bytes((1, MAX_IMAGE_SIDE + 1)), content_type="image/png")
    with pytest.raises(ValidationError) as caught:
        reencode_image(tall)
    assert caught.value.code == "image_too_large"
    reencode_image(SimpleUploadedFile("ok.png", png_bytes((MAX_IMAGE_SIDE, 1))))  # the limit itself is fine


@pytest.mark.parametrize("limit", [5000, 3000])  # past the limit (a warning in Pillow) and past twice it (an error)
def test_reencode_refuses_a_decompression_bomb(monkeypatch, limit):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", limit)
    with pytest.raises(ValidationError) as caught:
        reencode_image(SimpleUploadedFile("bomb.png", png_bytes((80, 80))))
    assert caught.value.code == "image_bomb"


def test_reencode_refuses_a_gif_and_a_damaged_file():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="GIF")
    for content in (buffer.getvalue(), png_bytes()[:40]):
        with pytest.raises(ValidationError):
            reencode_image(SimpleUploadedFile("x.png", content))


# --- Profile photos ---------------------------------------------------------------------------------------------

def test_profile_photo_is_reencoded_named_by_format_and_loses_its_exif(alumnus_a):
    profile = AlumniProfile.objects.get(user=alumnus_a)
    upload = SimpleUploadedFile("me.png", jpeg_with_exif(), content_type="image/png")
    response = client_for(alumnus_a).post(reverse("alumni:profile_edit"), {**profile_form(profile), "photo": upload})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.photo.name.startswith(f"photos/{profile.pk}/") and profile.photo.name.endswith(".jpg")
    exif, kind = stored_exif(profile.photo)
    assert (exif, kind) == ({}, "JPEG")
    served = client_for(alumnus_a).get(reverse("alumni:photo", args=[profile.pk]))
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"


def test_profile_photo_over_4000_pixels_is_refused_with_a_form_error(alumnus_a):
    profile = AlumniProfile.objects.get(user=alumnus_a)
    upload = SimpleUploadedFile("wide.png", png_bytes((MAX_IMAGE_SIDE + 1, 2)), content_type="image/png")
    response = client_for(alumnus_a).post(reverse("alumni:profile_edit"), {**profile_form(profile), "photo": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    profile.refresh_from_db()
    assert not profile.photo


def test_a_stored_photo_that_is_no_picture_is_never_served(alumnus_a):
    profile = AlumniProfile.objects.get(user=alumnus_a)
    profile.photo.save("old.html", ContentFile(b"<script>alert(1)</script>"))
    assert client_for(alumnus_a).get(reverse("alumni:photo", args=[profile.pk])).status_code == 404


# --- Transfer slips and other proofs ----------------------------------------------------------------------------

def test_transfer_slip_image_is_reencoded_without_exif(wakaf, alumnus_a):
    slip = SimpleUploadedFile("bukti.png", jpeg_with_exif(), content_type="image/png")
    response = client_for(alumnus_a).post(donate_url(wakaf), donate_data(proof=slip))
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert donation.proof.name.endswith(".jpg") and "bukti" not in donation.proof.name
    assert stored_exif(donation.proof) == ({}, "JPEG")
    served = client_for(alumnus_a).get(reverse("donations:donation_proof", args=[donation.pk]))
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert not served.get("Content-Disposition", "").startswith("attachment")  # a picture may be shown


def test_transfer_slip_over_4000_pixels_is_refused(wakaf, alumnus_a):
    slip = SimpleUploadedFile("bukti.png", png_bytes((2, MAX_IMAGE_SIDE + 1)), content_type="image/png")
    response = client_for(alumnus_a).post(donate_url(wakaf), donate_data(proof=slip))
    assert response.status_code == 200
    assert response.context["form"].errors["proof"]
    assert not Donation.objects.exists()


def test_pdf_slip_is_served_as_an_attachment_never_inline(wakaf, alumnus_a, staff_x):
    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF", content_type="application/pdf")
    gift = Gift(amount=50_000, method="bank_transfer", paid_on=timezone.localdate(), proof=pdf)
    donation = services.donation_submit(campaign=wakaf, donor=alumnus_a, gift=gift)
    for user in (alumnus_a, staff_x):
        response = client_for(user).get(reverse("donations:donation_proof", args=[donation.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_pdf_disbursement_proof_is_served_as_an_attachment(wakaf, staff_x):
    disbursement = Disbursement.objects.create(
        campaign=wakaf, amount=10_000, paid_on=datetime.date(2026, 1, 5), recipient="Toko", purpose="Semen",
        recorded_by=staff_x, proof=SimpleUploadedFile("nota.pdf", b"%PDF-1.4 nota"),
    )
    response = client_for(None).get(reverse("donations:disbursement_proof", args=[disbursement.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
