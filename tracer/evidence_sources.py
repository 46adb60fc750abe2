"""More rows for the evidence of alumni involvement (LKPS), from the apps above tracer.

tracer sits below careers (and whatever comes later) and never imports them: an app that holds more evidence of
alumni involvement registers a source in its AppConfig.ready() (careers: alumni who posted vacancies, alumni who
accepted introductions). A source is `rows(*, study_program, years) -> list[dict]` with the keys of
programs.evidence.EVIDENCE_COLUMNS (role counts 0 when they do not apply), `program_id`/`session_id` None, and
optionally `link` (where its alumni count drills down) and `note` (a sentence for the table's note). It runs a
fixed number of queries.

`evidence_with_sources` is programs.evidence.alumni_involvement plus these rows, in date order; the summary per
year (`per_year`, `total`) stays the programs' and sessions' own, and the note says so.
"""

from __future__ import annotations

from collections.abc import Callable

from alumni.models import StudyProgram
from programs.evidence import alumni_involvement

EvidenceSource = Callable[..., list[dict]]

EVIDENCE_SOURCES: dict[str, EvidenceSource] = {}


def register_evidence_source(name: str, rows: EvidenceSource) -> None:
    EVIDENCE_SOURCES[name] = rows


def evidence_with_sources(*, study_program: StudyProgram, ts: int) -> dict:
    """The evidence table of `alumni_involvement`, with every registered source's rows added."""
    evidence = alumni_involvement(study_program=study_program, ts=ts)
    extra: list[dict] = []
    notes: list[str] = []
    for rows in EVIDENCE_SOURCES.values():
        for row in rows(study_program=study_program, years=evidence["years"]):
            note = row.pop("note", "")
            if note and note not in notes:
                notes.append(note)
            extra.append(row)
    if not extra:
        return evidence
    rows = [*evidence["rows"], *extra]
    rows.sort(key=lambda r: (r["date"], r["program"], r["session"] == "", r["session"], str(r["session_id"] or "")))
    return {**evidence, "rows": rows, "note": " ".join([evidence["note"], *notes])}
