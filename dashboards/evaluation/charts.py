"""The evaluation's plotly figures, built on the server as dicts (dashboards/charts.py ways).

Standings carry their sign and word as well as their colour; every chart has a table of the
same numbers on the page.
"""

from indicators.evaluation.rules import STANDING_ICONS, STANDING_LABELS, Standing
from indicators.formatting import figure_text, percent_text

from ..charts import BAR_CAP, RATING_COLORS, _layout, _vertical_line, percent

STANDING_COLORS = {
    Standing.MET: RATING_COLORS["met"],
    Standing.NOT_MET: RATING_COLORS["behind"],
    Standing.NO_DATA: RATING_COLORS["no_data"],
    Standing.MANUAL: RATING_COLORS["manual"],
}


def standing_text(standing: Standing) -> str:
    return f"{STANDING_ICONS[standing]} {STANDING_LABELS[standing]}"


def standing_donut(counts: dict[Standing, int]) -> dict:
    shown = [s for s in Standing if counts.get(s)]
    return {
        "data": [
            {
                "type": "pie",
                "hole": 0.55,
                "labels": [standing_text(s) for s in shown],
                "values": [counts[s] for s in shown],
                "marker": {"colors": [STANDING_COLORS[s] for s in shown]},
                "textinfo": "label+value",
                "sort": False,
            }
        ],
        "layout": _layout(
            showlegend=False, height=300, margin={"l": 10, "r": 10, "t": 10, "b": 10}
        ),
    }


def standing_stack(counted) -> dict:
    """Groups or lead departments side by side, their indicators stacked by standing."""
    names = [each.name for each in counted]
    return {
        "data": [
            {
                "type": "bar",
                "name": standing_text(standing),
                "x": names,
                "y": [each.counts[standing] for each in counted],
                "marker": {"color": STANDING_COLORS[standing]},
            }
            for standing in Standing
        ],
        "layout": _layout(
            barmode="stack",
            height=360,
            yaxis={"title": {"text": "指标数"}},
            legend={"orientation": "h", "y": 1.12},
        ),
    }


def completion_bars(rows) -> dict:
    """Completion against the final target by indicator; the line at 100% is the target."""
    shown = [row for row in rows if row.completion is not None]
    labels = [f"{row.indicator.number}. {row.indicator.name}" for row in shown]
    hover = [
        f"{row.indicator.name}<br>{figure_text(row.measured, row.indicator.unit)}"
        f" / {figure_text(row.compared, row.indicator.unit)}"
        for row in shown
    ]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": [min(percent(row.completion), BAR_CAP) for row in shown],
                "text": [
                    f"{percent_text(row.completion)} {STANDING_LABELS[row.standing]}"
                    for row in shown
                ],
                "textposition": "auto",
                "hovertext": hover,
                "hoverinfo": "text",
                "marker": {"color": [STANDING_COLORS[row.standing] for row in shown]},
            }
        ],
        "layout": _layout(
            height=max(320, 26 * len(shown) + 80),
            margin={"l": 330, "r": 30, "t": 20, "b": 40},
            xaxis={"title": {"text": "完成率（%）"}, "range": [0, BAR_CAP + 5], "ticksuffix": "%"},
            yaxis={"autorange": "reversed", "automargin": True},
            shapes=[_vertical_line(100, "#1f2933", "solid")],
        ),
    }
