"""Production headers (issue 11 §4): a Content-Security-Policy without inline script, a Permissions-Policy,
`Cache-Control: private, no-store` on personal data and every download, X-Forwarded-Proto trusted only when a
setting says so, a Secure language cookie, and gunicorn published only to the proxy."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from alumni.models import AlumniProfile
from tests.conftest import client_for
from tests.donations.test_giving import make_campaign, submit

ROOT = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "alumni_portal.settings.production",
    "SECRET_KEY": "k8Zq-3vR7pLw!x2Nc9Ty6Hb4Mf1Jd5Gs0Ua8Ke7Wo3Qi2Pz6Lr",
    "ALLOWED_HOSTS": "alumni.example.ac.id",
    "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
    "REDIS_URL": "redis://redis.internal:6379/0",
}


def production_settings(**env) -> dict:
    """A few settings as the production module computes them, in a fresh interpreter."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'csp': s.CONTENT_SECURITY_POLICY, 'middleware': s.MIDDLEWARE, "
        "'proxy_ssl': s.SECURE_PROXY_SSL_HEADER, 'language_secure': s.LANGUAGE_COOKIE_SECURE, "
        "'language_httponly': s.LANGUAGE_COOKIE_HTTPONLY, 'proxy_count': s.ALLAUTH_TRUSTED_PROXY_COUNT}))"
    )
    dropped = ("TRUST_X_FORWARDED_PROTO", "ALLAUTH_TRUSTED_PROXY_COUNT", "DJANGO_ALLOW_ASYNC_UNSAFE")
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(PRODUCTION_ENV, **env)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Content-Security-Policy and Permissions-Policy --------------------------------------------------------------

def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_production_sends_a_csp_without_inline_script():
    production = production_settings()
    assert "csp.middleware.CSPMiddleware" in production["middleware"]
    script_src = production["csp"]["DIRECTIVES"]["script-src"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert production["csp"]["DIRECTIVES"]["object-src"] == ["'none'"]


def test_every_page_carries_the_csp_and_the_permissions_policy(db):
    response = client_for(None).get(reverse("home"))
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    features = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in features


TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def template_files():
    for directory in TEMPLATE_DIRS:
        yield from (p for p in directory.rglob("*.html") if ".venv" not in p.parts)


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    files = list(template_files())
    assert len(files) > 50
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JAVASCRIPT_URL):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    assert offenders == []


def test_the_behaviour_moved_out_of_the_templates_is_in_a_static_file(db, alumnus_a):
    page = client_for(None).get(reverse("home")).content.decode()
    assert "js/site.js" in page and "data-autosubmit" in page
    assert (ROOT / "static" / "js" / "site.js").exists()


# --- Cache-Control on personal data and downloads ----------------------------------------------------------------

NO_STORE = "private, no-store"


def assert_no_store(response):
    assert response.status_code == 200, response.status_code
    policy = {p.strip() for p in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= policy, response["Cache-Control"]


@pytest.mark.parametrize(("persona", "name"), [
    ("alumnus_a", "dashboard"),
    ("alumnus_a", "alumni:my_profile"),
    ("alumnus_a", "alumni:profile_edit"),
    ("alumnus_a", "alumni:directory"),
    ("alumnus_a", "alumni:privacy"),
    ("alumnus_a", "alumni:privacy_export"),
    ("alumnus_a", "donations:mine"),
    ("alumnus_a", "notification_preferences"),
    ("staff_x", "tracer:results"),
    ("staff_x", "tracer:lkps_index"),
    ("staff_x", "alumni:import"),
    ("staff_x", "donations:reports"),
])
def test_personal_data_pages_are_not_stored(request, persona, name):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse(name), follow=True)
    assert_no_store(response)


def test_a_profile_page_is_not_stored(alumnus_a, alumnus_b):
    profile = AlumniProfile.objects.get(user=alumnus_b)
    assert_no_store(client_for(alumnus_a).get(reverse("alumni:profile", args=[profile.pk])))


def test_donor_pages_and_proof_are_not_stored(alumnus_a, prodi_x, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    donation = submit(make_campaign(prodi_x), alumnus_a)
    client = client_for(alumnus_a)
    assert_no_store(client.get(reverse("donations:donation", args=[donation.pk])))
    assert_no_store(client.get(reverse("donations:donation_proof", args=[donation.pk])))


def test_every_download_is_not_stored(alumnus_a, staff_x, prodi_x):
    campaign = make_campaign(prodi_x)
    downloads = [
        client_for(staff_x).get(reverse("alumni:export_csv")),
        client_for(staff_x).get(reverse("alumni:export_xlsx")),
        client_for(alumnus_a).post(reverse("alumni:privacy_export")),
        client_for(None).get(reverse("donations:ledger_export", args=[campaign.pk, "csv"])),  # even anonymous
        client_for(staff_x).get(reverse("donations:reports"), {"download": "csv"}),
        client_for(staff_x).get(reverse("tracer:lkps_csv", args=[prodi_x.code, 2025, "8d1"])),
    ]
    for response in downloads:
        assert response["Content-Disposition"].startswith("attachment")
        assert_no_store(response)


def test_public_pages_for_visitors_stay_cacheable(db):
    response = client_for(None).get(reverse("home"))
    assert "no-store" not in response.get("Cache-Control", "")


# --- Proxy, cookies, deployment ----------------------------------------------------------------------------------

def test_x_forwarded_proto_is_trusted_only_when_the_setting_says_so():
    assert production_settings()["proxy_ssl"] is None
    trusted = production_settings(TRUST_X_FORWARDED_PROTO="true")
    assert trusted["proxy_ssl"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_language_cookie_is_secure_in_production():
    production = production_settings(ALLAUTH_TRUSTED_PROXY_COUNT="1")
    assert production["language_secure"] is True and production["language_httponly"] is True
    assert production["proxy_count"] == 1


def compose_services() -> dict[str, str]:
    """docker-compose.yml's services, each as its block of text (no YAML library needed)."""
    text = (ROOT / "docker-compose.yml").read_text()
    services = text.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    blocks = re.split(r"\n(?=  [a-z][\w-]*:\n)", "\n" + services)
    return {block.strip().split(":", 1)[0]: block for block in blocks if block.strip()}


def test_compose_publishes_only_the_proxy():
    services = compose_services()
    assert {"web", "proxy", "worker", "beat", "postgres", "redis"} <= set(services)
    published = sorted(name for name, block in services.items() if re.search(r"^\s+ports:", block, re.MULTILINE))
    assert published == ["proxy"]
    assert "expose:" in services["web"]
    compose = (ROOT / "docker-compose.yml").read_text()
    assert 'ALLAUTH_TRUSTED_PROXY_COUNT: "1"' in compose
    assert 'TRUST_X_FORWARDED_PROTO: "true"' in compose
