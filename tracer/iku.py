"""The IKU-1 target: the share of graduates a study program aims to see succeed (tracer.lkps computes the figure),
set by the program's staff on the report's IKU-1 tab, and how the figure reads against it.

The figure's colour follows the target, never the mere presence of a number (0,00 % once showed in success green):

- **met** (green): at or above the target;
- **below** (amber): under the target, but at least three quarters of it (60 % of a target of 80 %);
- **far below** (red): under three quarters of the target;
- no figure (nobody of the cohort traced yet): no grade, neutral.

The words always say the target and the grade, so the colour is never the only carrier of the meaning.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alumni.models import StudyProgram, User
from alumni.scope import scope_for
from core.audit import audit_log
from core.dates import number

from .models import IkuTarget

DEFAULT_TARGET = Decimal(80)
# Below FAR_BELOW × target the figure is "far below" (red) rather than "below" (amber).
FAR_BELOW = Decimal("0.75")
MET, BELOW, FAR = "met", "below", "far_below"
GRADE_LABELS = {
    MET: gettext_lazy("target met"),
    BELOW: gettext_lazy("below target"),
    FAR: gettext_lazy("far below target"),
}
TARGET_SET = "tracer.iku.target_set"


def target_for(study_program: StudyProgram) -> Decimal:
    """The program's target, or DEFAULT_TARGET when its staff have set none (one query)."""
    row = IkuTarget.objects.filter(study_program=study_program).values_list("percent", flat=True).first()
    return DEFAULT_TARGET if row is None else row


def grade(value, target) -> str | None:
    """MET, BELOW or FAR for an IKU-1 figure in percent against `target` in percent; None without a figure."""
    if value is None:
        return None
    value, target = Decimal(str(value)), Decimal(str(target))
    if value >= target:
        return MET
    if value >= target * FAR_BELOW:
        return BELOW
    return FAR


def target_set(*, study_program: StudyProgram, percent: Decimal, by: User) -> IkuTarget:
    """Staff of `study_program` set its IKU-1 target (1–100 %), audited with the previous value."""
    if not scope_for(by).manages_program(study_program.pk):
        raise PermissionDenied(_("Only staff of the study program set its IKU-1 target."))
    if percent is None or not Decimal(1) <= percent <= Decimal(100):
        raise ValidationError({"percent": _("Give a target between 1 and 100 percent.")})
    with transaction.atomic():
        row = IkuTarget.objects.select_for_update().filter(study_program=study_program).first()
        before = row.percent if row else DEFAULT_TARGET
        if row is None:
            row = IkuTarget.objects.create(study_program=study_program, percent=percent, updated_by=by)
        else:
            row.percent, row.updated_by = percent, by
            row.save(update_fields=["percent", "updated_by", "updated_at"])
        audit_log(actor=by, action=TARGET_SET, target=study_program, study_program=study_program,
                  data={"before": str(before), "after": str(percent)})
    return row


def report_view(*, study_program: StudyProgram, figure) -> dict:
    """What the IKU-1 tab shows beside the figure: the target, the grade and its words."""
    target = target_for(study_program)
    figure_grade = grade(figure, target)
    return {
        "target": target,
        "target_text": percent_text(target),
        "grade": figure_grade,
        "grade_label": GRADE_LABELS[figure_grade] if figure_grade else "",
        "far_below_text": percent_text(target * FAR_BELOW),
    }


def percent_text(value) -> str:
    """A target as people write it: `80`, `82,50` (two decimals only when it has any)."""
    value = Decimal(str(value))
    return number(value, 0 if value == value.to_integral_value() else 2)
