"""The campaign form's cover (issue 14 §3, like the profile photo): the current picture is a thumbnail through the
portal's cover view, never a /media/ link or the storage path ("campaigns/…"), with Remove and Replace."""

import re

from django.core.files.base import ContentFile
from django.urls import reverse

from donations.models import CampaignImage

from ..alumni.test_profile import tiny_png
from ..conftest import client_for
from ..factories import CampaignFactory


def test_the_current_cover_is_a_thumbnail_through_the_cover_view(staff_x, prodi_x, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    campaign = CampaignFactory(study_program=prodi_x, cover=ContentFile(tiny_png(), name="cover.png"))
    client = client_for(staff_x)
    html = client.get(reverse("donations:campaign_edit", args=[campaign.pk])).content.decode()
    part = html[html.index('for="id_cover"'):]
    thumbnail = re.search(r'<img class="img-thumbnail object-fit-cover" src="([^"]+)" alt="([^"]+)"', part)
    assert thumbnail and thumbnail.group(1).startswith(reverse("donations:campaign_cover", args=[campaign.pk]) + "?v=")
    assert "/media/" not in html and campaign.cover.name not in html
    assert re.search(r'<input type="checkbox" class="form-check-input" name="cover-clear" id="cover-clear_id">\s*'
                     r'<label class="form-check-label" for="cover-clear_id">', part)
    assert re.search(r'<input type="file" name="cover" aria-describedby="id_cover-replace"', part)
    assert client.get(thumbnail.group(1)).status_code == 200


def test_a_new_campaign_has_only_the_file_input(staff_x, prodi_x):
    html = client_for(staff_x).get(reverse("donations:campaign_create")).content.decode()
    part = html[html.index('for="id_cover"'):]
    assert '<input type="file" name="cover"' in part
    assert "cover-clear" not in html and "<img" not in part.split("</div>", 2)[0]


def test_the_campaigns_pictures_show_as_thumbnails_too(staff_x, prodi_x, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    campaign = CampaignFactory(study_program=prodi_x)
    image = CampaignImage.objects.create(campaign=campaign, image=ContentFile(tiny_png(), name="well.png"))
    client = client_for(staff_x)
    html = client.get(reverse("donations:campaign_edit", args=[campaign.pk])).content.decode()
    assert "/media/" not in html and image.image.name not in html
    src = re.search(r'<img class="img-thumbnail" src="([^"]+)" alt="[^"]+"', html).group(1)
    assert src.startswith(reverse("donations:campaign_image", args=[image.pk]) + "?v=")
    assert client.get(src).status_code == 200
