"""The domains register in core what the shared services need to know about them (core.registry): the words of
every audit action they write, the reminders a person may turn off, which consent a kind is sent for."""

import ast
import pathlib

from core import registry

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = ["core", "alumni", "programs", "tracer", "donations"]


def written_actions() -> set[str]:
    """Every literal `action="app.object.verb"` passed to audit_log / audit_reads in the apps' code."""
    actions = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"audit_log", "audit_reads"}:
                    for kw in node.keywords:
                        if kw.arg == "action" and isinstance(kw.value, ast.Constant):
                            actions.add(kw.value.value)
    return actions


def test_every_audit_action_written_has_a_label():
    actions = written_actions()
    assert len(actions) > 50, len(actions)
    assert sorted(actions - set(registry.ACTION_LABELS)) == []


def test_each_app_registers_its_own_actions_only():
    for action in registry.ACTION_LABELS:
        assert action.split(".")[0] in {
            "alumni", "programs", "tracer", "donations", "careers", "mentoring", "community",
        }, action


def test_optional_kinds_in_the_order_the_preferences_page_lists_them():
    assert list(registry.OPTIONAL_KINDS) == [
        "session_tomorrow", "program_due_soon", "program_lapsed", "proposal_waiting", "tracer_reminder", "pledge_due",
        "careers_employer_requested", "careers.digest", "careers.closing_soon",
        "community.help_skill", "community.help_escalated", "community.digest",
    ]


def test_kinds_sent_for_a_consent_purpose():
    assert registry.NOTIFICATION_PURPOSES == {
        "tracer_invitation": "tracer", "tracer_reminder": "tracer", "pledge_due": "fundraising",
        "careers.digest": "career", "careers_outcome_question": "career",
        "community.help_skill": "community", "community.digest": "community",
    }


def test_demo_seeders_run_in_layer_order():
    assert [seeder.name for seeder in registry.DEMO_SEEDERS] == [
        "programs", "tracer", "donations", "careers", "mentoring", "community",
    ]
