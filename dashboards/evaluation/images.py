"""The evaluation's charts as PNG images for the Word document, drawn on the server.

matplotlib with the Agg backend: no browser, no display. Chinese needs a CJK font; the first
one installed (fonts-noto-cjk on Debian) is found at run time. Without one the charts are
still drawn, with the default font, and nothing is raised or printed.
"""

import io
import logging
import warnings
from functools import lru_cache

from indicators.evaluation.rules import Standing

from ..charts import BAR_CAP, percent
from .charts import STANDING_COLORS, standing_text

logger = logging.getLogger(__name__)

# Families that draw Simplified Chinese, best first.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
)
DPI = 150


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot

    return pyplot


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The name of an installed font family that draws Chinese, or None."""
    _pyplot()
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    family = next((name for name in CJK_FAMILIES if name in installed), None)
    if family is None:
        family = next((name for name in sorted(installed) if "CJK" in name), None)
    if family is None:
        logger.info("No CJK font found: evaluation charts use the default font.")
    return family


def _integer_locator():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    _pyplot().close(figure)
    return buffer.getvalue()


def _draw(draw, size: tuple[float, float]) -> bytes:
    """Run draw(axes) on a new figure and return it as PNG; glyph warnings stay quiet."""
    pyplot = _pyplot()
    family = cjk_family()
    rc = {"font.family": [family, "DejaVu Sans"] if family else ["DejaVu Sans"]}
    rc["axes.unicode_minus"] = False
    with warnings.catch_warnings(), pyplot.rc_context(rc):
        warnings.simplefilter("ignore")
        figure, axes = pyplot.subplots(figsize=size)
        draw(axes)
        figure.tight_layout()
        return _png(figure)


def standing_chart(counts: dict[Standing, int]) -> bytes:
    """Bars: how many indicators stand where against the final target."""
    standings = list(Standing)

    def draw(axes):
        labels = [standing_text(s) for s in standings]
        values = [counts.get(s, 0) for s in standings]
        bars = axes.bar(labels, values, color=[STANDING_COLORS[s] for s in standings])
        axes.bar_label(bars, labels=[f"{v} 项" for v in values], padding=2)
        axes.set_ylabel("指标数")
        axes.yaxis.set_major_locator(_integer_locator())
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_ylim(0, max([*values, 1]) * 1.2)

    return _draw(draw, (6.0, 3.0))


def stack_chart(counted, *, title: str) -> bytes:
    """Horizontal bars per group or lead department, stacked by standing."""
    names = [each.name for each in counted][::-1]
    rows = list(counted)[::-1]

    def draw(axes):
        left = [0] * len(rows)
        for standing in Standing:
            values = [each.counts[standing] for each in rows]
            axes.barh(
                names, values, left=left, color=STANDING_COLORS[standing],
                label=standing_text(standing),
            )  # fmt: skip
            left = [a + b for a, b in zip(left, values, strict=True)]
        axes.set_xlabel("指标数")
        axes.set_title(title)
        axes.xaxis.set_major_locator(_integer_locator())
        axes.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=len(Standing),
            fontsize=8, frameon=False,
        )  # fmt: skip
        axes.spines[["top", "right"]].set_visible(False)

    return _draw(draw, (7.0, 0.45 * len(rows) + 1.8))


def completion_chart(rows) -> bytes:
    """Completion against the final target per indicator; the line at 100% is the target."""
    shown = [row for row in rows if row.completion is not None][::-1]

    def draw(axes):
        labels = [f"{row.indicator.number}. {row.indicator.name}" for row in shown]
        values = [min(percent(row.completion), BAR_CAP) for row in shown]
        axes.barh(labels, values, color=[STANDING_COLORS[row.standing] for row in shown])
        axes.axvline(100, color="#1f2933", linewidth=1)
        axes.set_xlim(0, BAR_CAP + 5)
        axes.set_xlabel("完成率（%，超过 150% 截断显示）")
        axes.tick_params(axis="y", labelsize=9)
        axes.spines[["top", "right"]].set_visible(False)

    return _draw(draw, (9.0, 0.2 * len(shown) + 1.0))
