"""The audit trail: who did what, to what, when; and which staff member read whose personal data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from .models import AuditLog


def audit_log(
    *,
    actor,
    action: str,
    target: models.Model,
    study_program=None,
    data: dict[str, Any] | None = None,
    subject=None,
) -> AuditLog:
    """One entry. `subject`: the person whose personal data the actor read (see audit_reads)."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        study_program=study_program,
        data=data or {},
        subject_id=getattr(subject, "pk", subject),
    )


# Rows per INSERT of read entries (8 columns): far below every database's limit on bound parameters.
READ_INSERT_ROWS = 1000


def audit_reads(
    *,
    actor,
    action: str,
    target: models.Model,
    subject_ids: Iterable[int],
    study_program=None,
    data: dict[str, Any] | None = None,
) -> AuditLog:
    """A staff member read the personal data of several people at once (an export, a drill-down, a page of
    answers): one summary entry (no subject, `data["people"]` = how many) for the trail, and one entry per person
    with an account, `subject` set, so each finds the read among "reads of my data" with one indexed query.
    The per-person entries go in with bulk INSERTs (READ_INSERT_ROWS rows each), so a large export stays fast.
    Returns the summary entry."""
    people = sorted({pk for pk in subject_ids if pk is not None})
    summary = audit_log(actor=actor, action=action, target=target, study_program=study_program,
                        data={**(data or {}), "people": len(people)})
    AuditLog.objects.bulk_create(
        [
            AuditLog(actor_id=summary.actor_id, action=action, target_type=summary.target_type,
                     target_id=summary.target_id, target_repr=summary.target_repr, study_program=study_program,
                     data={"summary": summary.pk}, subject_id=pk)
            for pk in people
        ],
        batch_size=READ_INSERT_ROWS,
    )
    return summary
