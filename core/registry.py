"""What the domains above tell the bottom layer, registered in each domain's `AppConfig.ready()`.

`core` never imports a domain app (`alumni`, `programs`, `tracer`, `donations`, …): the import-linter contract in
pyproject.toml fails the build if it does. When the shared services need to know something that only a domain
knows, the domain registers it here:

- the words of its audit actions (`register_action_labels`), shown in activity lists, and how an entry about one
  of its objects reads there (`register_target_describer`: labels and amounts in the reader's language);
- the notification kinds a person may turn off (`register_optional_kind`), listed on the preferences page;
- the consent purpose a notification kind is sent for (`register_notification_purpose`), and the one function that
  says who withheld which purpose (`register_consent_check`, by `alumni`, which owns the consent ledger);
- how a user's rights are summed up for the `visible_to` doors (`register_scope_resolver`, by `alumni`);
- how it fills the demo database (`register_demo_seeder`), run in registration order by `seed_demo`;
- the files its outbox rows attach, built at send time (`register_attachment_builder`), what a sent row of
  one of its kinds marks on its own rows (`register_sent_hook`), whether a claimed row of one of its kinds is
  still wanted right before it is sent (`register_send_check`), and where someone without an account stops
  emails of one of its kinds (`register_unsubscribe_link`, the List-Unsubscribe header).

Registration happens once per process while Django starts, in INSTALLED_APPS order; reading happens afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# --- Audit actions -----------------------------------------------------------------------------------------------

# {dotted action: label}. An action without a label shows its dotted code.
ACTION_LABELS: dict[str, Any] = {}


def register_action_labels(labels: dict[str, Any]) -> None:
    """Add the labels of an app's audit actions (`<app>.<object>.<verb>`)."""
    ACTION_LABELS.update(labels)


# {target type ("app_label.model"): describe(entry) -> text or None}. An entry keeps `target_repr`, the object's
# text when it was written, in whatever language the writer used; a describer rebuilds it for the reader from
# the entry alone (no query): choice labels instead of codes, amounts as rupiah. None: the stored text is shown.
TARGET_DESCRIBERS: dict[str, Callable[[Any], str | None]] = {}


def register_target_describer(target_type: str, describe: Callable[[Any], str | None]) -> None:
    TARGET_DESCRIBERS[target_type] = describe


# --- Optional notification kinds ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionalKind:
    code: str
    label: Any
    help_text: Any


# {kind: OptionalKind}: the reminders a person may turn off on /notifications/preferences/, in registration order.
# Everything else (a session cancelled, a seat from the waitlist, a decision on one's proposal, a role granted)
# answers something that just happened to that person and always goes out.
OPTIONAL_KINDS: dict[str, OptionalKind] = {}


def register_optional_kind(code: str, label: Any, help_text: Any) -> None:
    if len(code) > 50:
        raise ValueError(f"notification kind {code!r} is longer than 50 characters")
    OPTIONAL_KINDS[code] = OptionalKind(code=code, label=label, help_text=help_text)


# --- Consent purposes of notification kinds ----------------------------------------------------------------------

# {notification kind: consent purpose}: a kind sent for a purpose is not claimed for someone without that consent,
# and withdrawing the consent stops the person's claimed, unsent rows of those kinds.
NOTIFICATION_PURPOSES: dict[str, str] = {}

# check(pairs of (user id, purpose)) -> the pairs whose consent is withheld. Registered by the app that keeps the
# consent ledger; without one, nothing is withheld.
_consent_check: Callable[[set[tuple[int, str]]], set[tuple[int, str]]] | None = None


def register_notification_purpose(kind: str, purpose: str) -> None:
    """Notifications of `kind` are sent for `purpose`: withdrawing that consent stops them."""
    NOTIFICATION_PURPOSES[kind] = purpose


def register_consent_check(check: Callable[[set[tuple[int, str]]], set[tuple[int, str]]]) -> None:
    global _consent_check
    _consent_check = check


def consent_withheld(pairs: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
    """The (user id, kind) pairs, among `pairs`, whose kind is sent for a purpose the user has not consented to.
    No query when no kind in `pairs` has a purpose."""
    by_purpose = {(user_id, NOTIFICATION_PURPOSES[kind]): (user_id, kind)
                  for user_id, kind in pairs if kind in NOTIFICATION_PURPOSES}
    if not by_purpose or _consent_check is None:
        return set()
    withheld = _consent_check(set(by_purpose))
    return {(user_id, kind) for user_id, kind in pairs
            if kind in NOTIFICATION_PURPOSES and (user_id, NOTIFICATION_PURPOSES[kind]) in withheld}


# --- Scope (who may see what) ------------------------------------------------------------------------------------

_scope_resolver: Callable[[Any], Any] | None = None


def register_scope_resolver(resolver: Callable[[Any], Any]) -> None:
    """`resolver(user)` returns the summary of a user's rights that every `visible_to` door reads (core.access)."""
    global _scope_resolver
    _scope_resolver = resolver


def scope_resolver() -> Callable[[Any], Any]:
    if _scope_resolver is None:
        raise ImproperlyConfigured("No scope resolver is registered: is the alumni app installed?")
    return _scope_resolver


# --- Demo data ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSeeder:
    name: str
    # seed(rng) creates the app's demo rows (a rerun adds nothing) and returns one line saying what it made.
    seed: Callable[[Any], str]


DEMO_SEEDERS: list[DemoSeeder] = []


def register_demo_seeder(name: str, seed: Callable[[Any], None]) -> None:
    """`seed_demo` runs the seeders in registration order (INSTALLED_APPS order), after the people exist."""
    if any(s.name == name for s in DEMO_SEEDERS):
        return
    DEMO_SEEDERS.append(DemoSeeder(name=name, seed=seed))


# --- Outbox: attachments built at send time, and what a sent message marks in its domain ------------------------

# {prefix: build(reference) -> (filename, content bytes, mimetype)}: a Notification whose `attachment` is
# "<prefix>:<reference>" gets the file built when it is sent (e.g. a receipt PDF), never stored in the outbox.
ATTACHMENT_BUILDERS: dict[str, Callable[[str], tuple[str, bytes, str]]] = {}

# {kind: [check(notification) -> reason]}: asked right before a leased row of `kind` is sent. A non-empty reason
# ("invitation withdrawn") means the message is no longer wanted since its claim (an invitation withdrawn or
# accepted, a survey answered while the row waited): the row is closed unsent (failed_at, last_error "cancelled:
# <reason>"), never emailed. Checks must be cheap (one query): they run once per row of a batch.
SEND_CHECKS: dict[str, list[Callable[[Any], str]]] = {}

# {kind: [mark(notification)]}: called in the transaction that writes a row's `sent_at`, so a domain's own marker
# (a receipt emailed, an invitation sent) is set exactly when the outbox says the SMTP server took the message.
SENT_HOOKS: dict[str, list[Callable[[Any], None]]] = {}


def register_attachment_builder(prefix: str, build: Callable[[str], tuple[str, bytes, str]]) -> None:
    if ":" in prefix:
        raise ValueError(f"attachment prefix {prefix!r} must not contain ':'")
    ATTACHMENT_BUILDERS[prefix] = build


def attachment_for(reference: str) -> tuple[str, bytes, str]:
    """The file named by a row's `attachment` ("<prefix>:<reference>"). KeyError for an unregistered prefix."""
    prefix, _sep, ref = reference.partition(":")
    return ATTACHMENT_BUILDERS[prefix](ref)


def register_sent_hook(kind: str, mark: Callable[[Any], None]) -> None:
    hooks = SENT_HOOKS.setdefault(kind, [])
    if mark not in hooks:
        hooks.append(mark)


def register_send_check(kind: str, check: Callable[[Any], str]) -> None:
    """`check(notification)` returns "" while the row of `kind` is still wanted, else why it is not."""
    checks = SEND_CHECKS.setdefault(kind, [])
    if check not in checks:
        checks.append(check)


def send_cancelled(notification) -> str:
    """Why this row must not be sent any more ("" when every check of its kind still wants it)."""
    for check in SEND_CHECKS.get(notification.kind, ()):
        reason = check(notification)
        if reason:
            return reason
    return ""


# {kind: url(notification) -> absolute URL or ""}: where the person an email of `kind` reaches *without an account*
# stops these emails (a page of the domain). The outbox puts it in the List-Unsubscribe header; accounts get the
# preferences page instead (optional kinds). One query at most: it runs once per row of a batch.
UNSUBSCRIBE_LINKS: dict[str, Callable[[Any], str]] = {}
# {kind: url(notification)}: the address that stops these emails on a bare POST with no login and no cookie
# (RFC 8058 one-click: "List-Unsubscribe=One-Click"), for mail clients with an unsubscribe button. When a kind has
# one, it goes into List-Unsubscribe with List-Unsubscribe-Post; a GET of it leads to the stop page.
ONE_CLICK_LINKS: dict[str, Callable[[Any], str]] = {}


def register_unsubscribe_link(kind: str, url: Callable[[Any], str],
                              one_click: Callable[[Any], str] | None = None) -> None:
    UNSUBSCRIBE_LINKS[kind] = url
    if one_click is not None:
        ONE_CLICK_LINKS[kind] = one_click
