"""One door: the Django admin is the operator's tool. Every /admin/ URL (index, app indexes, login, logout, password
change, autocomplete, JavaScript catalogue, "View on site", and for every registered model its list, add, change,
delete and history pages and any extra page such as the user's password form), built with real ids, is requested
by every persona of the permission matrix plus a person with `is_staff=True` and no role: none of them gets a page
(403, or a redirect to the portal's login). A superuser opens the index and every list.

The permission matrix (tests/alumni/test_permissions.py) checks that this test builds every admin URL.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.alumni.test_permissions import PERSONAS, objects  # noqa: F401  (the matrix's rows, reused)

from ..conftest import client_for
from ..factories import UserFactory

pytestmark = pytest.mark.django_db

NOT_SUPERUSERS = [*PERSONAS, "is_staff_only"]
MODEL_ACTIONS = ("changelist", "add", "change", "delete", "history")


def admin_url_names() -> set[str]:
    """Every named URL of the admin site, as the URLconf has it."""
    _prefix, resolver = get_resolver().namespace_dict["admin"]

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield pattern.name

    return set(walk(resolver.url_patterns))


def _model_names() -> dict[str, type]:
    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


def _real_pk(model) -> str:
    obj = model._default_manager.order_by().first()
    return str(obj.pk) if obj is not None else "0"


def admin_urls() -> list[tuple[str, str, str]]:
    """(url name, method, url) for every admin URL, object URLs with the id of a real row where one exists."""
    models = _model_names()
    urls: list[tuple[str, str, str]] = []
    unknown = []
    for name in sorted(admin_url_names()):
        full = f"admin:{name}"
        if name in ("index", "login", "password_change", "password_change_done", "jsi18n"):
            urls.append((full, "get", reverse(full)))
            if name in ("login", "password_change"):
                urls.append((full, "post", reverse(full)))
        elif name == "logout":
            urls.append((full, "post", reverse(full)))
        elif name == "autocomplete":
            for model, model_admin in admin.site._registry.items():
                for field in getattr(model_admin, "autocomplete_fields", ()):
                    query = f"?app_label={model._meta.app_label}&model_name={model._meta.model_name}&field_name={field}"
                    urls.append((full, "get", reverse(full) + query))
            urls.append((full, "get", reverse(full) + "?term=a&app_label=alumni&model_name=role&field_name=user"))
        elif name == "app_list":
            for label in sorted({m._meta.app_label for m in admin.site._registry}):
                urls.append((full, "get", reverse(full, kwargs={"app_label": label})))
        elif name == "view_on_site":
            for model in admin.site._registry:
                ct = ContentType.objects.get_for_model(model)
                urls.append((full, "get", reverse(full, args=[ct.pk, _real_pk(model)])))
        else:
            model_name, _sep, action = name.rpartition("_")
            if model_name.endswith("_password"):  # the form that sets any user's password (auth_user_...)
                model_name, action = model_name.removesuffix("_password"), "password_change"
            model = get_user_model() if model_name == "auth_user" else models.get(model_name)
            if model is None:
                unknown.append(name)
                continue
            if action in ("changelist", "add"):
                urls.append((full, "get", reverse(full)))
                if action == "add":
                    urls.append((full, "post", reverse(full)))
            else:
                url = reverse(full, args=[_real_pk(model)])
                urls.append((full, "get", url))
                if action in ("change", "delete", "password_change"):
                    urls.append((full, "post", url))
    assert not unknown, f"teach admin_urls() to build these admin URLs: {unknown}"
    return urls


@pytest.fixture
def door(objects, request):  # noqa: F811  (the matrix's objects fixture)
    """The matrix's objects, plus rows of reference models so that their object pages use real ids."""
    from alumni.models import Province
    from tracer.models import FollowUpPlan, MinimumWage

    program = objects["profile_a"].study_program
    MinimumWage.objects.create(province=Province.objects.first(), year=2024, amount=2_000_000)
    FollowUpPlan.objects.create(study_program=program, ts=2025, aspect="etika", text="Pelatihan etika")
    return objects


def _persona(request, persona):
    if persona == "is_staff_only":
        return UserFactory(email="flag@example.org", is_staff=True)
    fixture = {"anonymous": "anonymous", "pending": "pending_person"}.get(persona, persona)
    return request.getfixturevalue(fixture)


def _request(client, method, url):
    return client.post(url, {}) if method == "post" else client.get(url)


@pytest.mark.parametrize("persona", NOT_SUPERUSERS)
def test_no_admin_url_opens_for_a_non_superuser(persona, door, request):
    user = _persona(request, persona)
    client = client_for(user)
    urls = admin_urls()
    opened = []
    for name, method, url in urls:
        response = _request(client, method, url)
        if response.status_code == 403:
            continue
        if response.status_code == 302 and user is None:
            # Anonymous: off to the portal's login (rate-limited; the admin's login page only sends there), or from
            # the logout back to the index, which sends there too.
            location = response["Location"]
            if location.startswith((reverse("account_login"), reverse("admin:login"))) or location == reverse(
                "admin:index"
            ):
                continue
        opened.append((name, method, url, response.status_code))
    print(f"{persona}: {len(urls)} admin URLs requested, {len(opened)} opened")
    assert len(urls) > 150  # every model's five pages and more: the walk really enumerated the admin
    assert opened == [], opened


def test_an_admin_login_is_the_portal_login(anonymous, staff_x):
    response = client_for(anonymous).get(reverse("admin:login") + "?next=/admin/alumni/role/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/admin/alumni/role/" in response["Location"]
    assert client_for(staff_x).get(reverse("admin:login")).status_code == 403


def test_a_superuser_opens_the_index_and_every_list(door):
    root = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    client = client_for(root)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:login")).status_code == 302  # already in: on to the index
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        assert client.get(reverse(name)).status_code == 200, name


def test_a_superuser_without_is_staff_still_opens_the_admin(db):
    """The admin asks for `is_superuser`, not the `is_staff` flag, which gives nothing by itself."""
    root = UserFactory(email="root@example.org", is_superuser=True, is_staff=False)
    assert client_for(root).get(reverse("admin:index")).status_code == 200


def test_a_role_no_longer_sets_is_staff(staff_x, admin_user):
    assert not staff_x.is_staff and not admin_user.is_staff
