"""The evaluation's summary in sentences, built from its figures: page, API, Excel and Word
read the same sentences.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.formatting import UNASSIGNED, percent_text

from .rules import Standing
from .selectors import PlanEvaluation, StandingCount


def stage_label(evaluation: PlanEvaluation) -> str:
    """终期评估 at the plan's last year, 中期评估 before it."""
    return _("终期评估") if evaluation.is_final else _("中期评估")


def _share(count: int, total: int) -> str:
    return percent_text(Decimal(count) / Decimal(total)) if total else percent_text(None)


def _counts_sentence(evaluation: PlanEvaluation) -> str:
    counts, total = evaluation.counts, len(evaluation.rows)
    parts = [
        _("%(total)s 项指标中，%(verb)s终期目标 %(met)s 项，占 %(share)s")
        % {
            "total": total,
            "verb": _("达到") if evaluation.is_final else _("已达到"),
            "met": counts[Standing.MET],
            "share": _share(counts[Standing.MET], total),
        },
        _("未达到 %(count)s 项，占 %(share)s")
        % {
            "count": counts[Standing.NOT_MET],
            "share": _share(counts[Standing.NOT_MET], total),
        },
    ]
    if counts[Standing.MANUAL]:
        parts.append(
            _("文字目标经审核认定 %(count)s 项（其中已完成 %(done)s 项）")
            % {
                "count": counts[Standing.MANUAL],
                "done": sum(1 for r in evaluation.rows if r.standing == Standing.MANUAL and r.met),
            }
        )
    if counts[Standing.NO_DATA]:
        parts.append(_("无已审核数据 %(count)s 项") % {"count": counts[Standing.NO_DATA]})
    opening = _("截至 %(year)s 年（%(stage)s），") % {
        "year": evaluation.year,
        "stage": stage_label(evaluation),
    }
    return opening + "；".join(parts) + "。"


def _indicator_name(row) -> str:
    return f"{row.indicator.number}. {row.indicator.name}"


def _early_sentence(evaluation: PlanEvaluation) -> str:
    early = evaluation.reached_early
    if not early:
        return _("没有提前达到终期目标的指标。")
    names = "、".join(
        _("%(name)s（%(year)s 年）") % {"name": _indicator_name(row), "year": row.reached_year}
        for row in early
    )
    return _("提前达到终期目标 %(count)s 项：%(names)s。") % {"count": len(early), "names": names}


def _behind_sentence(evaluation: PlanEvaluation) -> str:
    behind = evaluation.furthest_behind
    if not behind:
        return _("没有未达到终期目标的指标。")
    names = "、".join(
        _("%(name)s（完成 %(completion)s）")
        % {"name": _indicator_name(row), "completion": percent_text(row.completion)}
        for row in behind
    )
    return _("差距最大的 %(count)s 项：%(names)s。") % {"count": len(behind), "names": names}


def _breakdown_sentence(opening: str, counted: list[StandingCount], led: str) -> str:
    parts = [
        _("%(name)s%(led)s %(total)s 项，达到 %(met)s 项")
        % {
            "name": _("未分配牵头单位的") if led and each.name == UNASSIGNED else each.name,
            "led": "" if each.name == UNASSIGNED else led,
            "total": each.indicator_count,
            "met": each.counts[Standing.MET],
        }
        for each in counted
    ]
    return opening + "；".join(parts) + "。"


def summary_sentences(evaluation: PlanEvaluation) -> list[str]:
    """The summary as sentences, each built from the evaluation's own figures."""
    return [
        _counts_sentence(evaluation),
        _early_sentence(evaluation),
        _behind_sentence(evaluation),
        _breakdown_sentence(_("分类别看，"), evaluation.groups, ""),
        _breakdown_sentence(_("分牵头单位看，"), evaluation.departments, _("牵头")),
    ]
