"""What a row of the accreditation report's drill-down says about a graduate's answers, in words: "Status:
Bekerja (full time/part time)", "Provinsi: Jawa Tengah", with the upload code and value in small text beside it
("f5a1 = 30000"), not the codes alone."""

from __future__ import annotations

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from .models import Option

# The answers `lkps.cell_graduates` reads for the graduate tables, in the order of the report's tables, each with
# the short label the drill-down shows.
QUESTIONS = (
    ("f8", _("Status")),
    ("f502", _("Waiting time for the first job")),
    ("f14", _("Fit with the field of study")),
    ("f5d", _("Level of the workplace")),
    ("f505", _("Monthly income")),
    ("f5a1", _("Province")),
)
MONTHS = "f502"
MONEY = "f505"


def _option_labels(codes: set[str]) -> dict[tuple[str, int], str]:
    """{(code, value): label} of the single-choice questions among `codes`, in the reader's language (one query).
    The codes and values are the national layout's, the same in every version that asks them; a later version's
    label wins."""
    english = (get_language() or "id").startswith("en")
    rows = (
        Option.objects.filter(question__code__in=codes)
        .order_by("question__version__number", "question__version_id", "position")
        .values_list("question__code", "value", "label_id", "label_en")
    )
    return {(code, value): (label_en if english and label_en else label_id) for code, value, label_id, label_en in rows}


def _shown(code: str, value: int, options: dict[tuple[str, int], str]) -> str:
    if code == MONTHS:
        return ngettext("%(months)s month", "%(months)s months", value) % {"months": value}
    if code == MONEY:
        return f"Rp {value:,}".replace(",", ".")  # as Indonesians write it, in every language of the portal
    return options.get((code, value), str(value))


def with_answers(rows) -> list[dict]:
    """The rows of one drill-down page, each with `answers`: [{"label", "value", "code"}] for the answers it has.
    One query for the option labels, none when the page has no answers (the graduates and employer columns)."""
    rows = list(rows)
    present = {code for row in rows for code, _label in QUESTIONS if row.get(code) is not None}
    options = _option_labels(present - {MONTHS, MONEY}) if present - {MONTHS, MONEY} else {}
    for row in rows:
        row["answers"] = [
            {"label": label, "value": _shown(code, row[code], options), "code": f"{code} = {row[code]}"}
            for code, label in QUESTIONS if row.get(code) is not None
        ]
    return rows
