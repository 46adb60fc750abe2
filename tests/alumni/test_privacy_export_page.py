""""Download my data" says what the file holds in words, not by the keys of data.json (issue 14 §3: `donations`
was shown as such)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from alumni import privacy

from ..conftest import client_for


def listed(client) -> list[str]:
    html = client.get(reverse("alumni:privacy_export")).content.decode()
    items = re.search(r'<ul class="small">(.*?)</ul>', html, re.S).group(1)
    return [" ".join(item.split()) for item in re.findall(r"<li>(.*?)</li>", items, re.S)]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_page_lists_every_registered_part_by_its_label(alumnus_a, language):
    alumnus_a.language = language
    alumnus_a.save(update_fields=["language"])
    items = listed(client_for(alumnus_a))
    with translation.override(language):
        labels = [str(provider.label) for provider in privacy.PROVIDERS.values()]
        assert translation.gettext("your donations and pledges") in items
    # programs (4), tracer, donations, careers (8), mentoring (4), community (5)
    assert len(privacy.PROVIDERS) == 23
    assert items[-len(labels):] == labels
    assert len(items) == 7 + len(labels)  # the built-in parts, then the apps' parts
    for key in privacy.PROVIDERS:
        assert key not in items
    assert not any("<code>" in item for item in items)


def test_a_part_without_a_label_is_refused():
    with pytest.raises(ValueError, match="label"):
        privacy.register_personal_data("hobbies", export=lambda user: [])
    assert "hobbies" not in privacy.PROVIDERS
