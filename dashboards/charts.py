"""Plotly figures built on the server as plain dicts; the browser only draws them.

Every chart here has a table of the same numbers beside it in the template, and every
rating carries its text and sign as well as its colour.
"""

from decimal import Decimal

from indicators.formatting import figure_text, percent_text, percent_value
from indicators.progress import OUTLOOK_LABELS, RATING_LABELS, Outlook, Rating
from indicators.standing import STANDING_ICONS, STANDING_LABELS, Standing

RATING_COLORS = {
    Rating.MET: "#2f9e44",
    Rating.NEAR: "#e8a317",
    Rating.BEHIND: "#d64545",
    Rating.NO_DATA: "#9aa5b1",
    Rating.MANUAL: "#5b7bb5",
    Standing.PENDING: "#8e6fc1",
    Standing.NO_TARGET: "#d9dee4",
}
OUTLOOK_COLORS = {
    Outlook.MET: "#1b7a35",
    Outlook.ON_TRACK: "#2f9e44",
    Outlook.ACCELERATE: "#e8a317",
    Outlook.LIMITED: "#e67e22",
    Outlook.BACKWARDS: "#d64545",
    Outlook.UNKNOWN: "#9aa5b1",
}
# Completion bars stop here so that one 500% outlier does not flatten the others.
BAR_CAP = 150


def percent(ratio: Decimal | None) -> float | None:
    """A ratio as the percentage its label reads, as a number for plotly: 0.8725 → 87.3."""
    value = percent_value(ratio)
    return None if value is None else float(value)


def rating_text(rating: Rating | Standing) -> str:
    return f"{STANDING_ICONS[rating]} {STANDING_LABELS[rating]}"


def _layout(**extra) -> dict:
    layout = {
        "margin": {"l": 60, "r": 20, "t": 30, "b": 40},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"align": "left"},
    }
    layout.update(extra)
    return layout


def rating_donut(counts: dict[Standing, int]) -> dict:
    ratings = [r for r in Standing if counts.get(r)]
    return {
        "data": [
            {
                "type": "pie",
                "hole": 0.55,
                "labels": [rating_text(r) for r in ratings],
                "values": [counts[r] for r in ratings],
                "marker": {"colors": [RATING_COLORS[r] for r in ratings]},
                "textinfo": "label+value",
                "sort": False,
                # A small slice's label goes outside: the margins grow to hold it, unclipped.
                "automargin": True,
            }
        ],
        "layout": _layout(
            showlegend=False, height=300, margin={"l": 20, "r": 20, "t": 20, "b": 20}
        ),
    }


def outlook_bars(counts: dict[Outlook, int]) -> dict:
    outlooks = list(Outlook)
    return {
        "data": [
            {
                "type": "bar",
                "x": [OUTLOOK_LABELS[o] for o in outlooks],
                "y": [counts.get(o, 0) for o in outlooks],
                "marker": {"color": [OUTLOOK_COLORS[o] for o in outlooks]},
                "text": [counts.get(o, 0) for o in outlooks],
                "textposition": "outside",
                "hovertemplate": "%{x}：%{y} 项<extra></extra>",
            }
        ],
        "layout": _layout(height=300, yaxis={"title": {"text": "指标数"}, "dtick": 5}),
    }


def completion_bars(rows, *, threshold: Decimal) -> dict:
    """Completion by indicator, grouped by category; a line at 100% is the target."""
    shown = [row for row in rows if row.completion is not None]
    labels = [
        f"{(row.indicator.group.name + ' · ') if row.indicator.group else ''}"
        f"{row.indicator.number}. {row.indicator.name}"
        for row in shown
    ]
    values = [min(percent(row.completion), BAR_CAP) for row in shown]
    texts = [f"{percent_text(row.completion)} {RATING_LABELS[row.rating]}" for row in shown]
    hover = [
        f"{row.indicator.name}<br>实际 {figure_text(row.value, row.indicator.unit)}"
        f" / 目标 {figure_text(row.target.value, row.indicator.unit)}"
        for row in shown
    ]
    height = max(320, 26 * len(shown) + 80)
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": values,
                "text": texts,
                "textposition": "auto",
                "hovertext": hover,
                "hoverinfo": "text",
                "marker": {"color": [RATING_COLORS[row.rating] for row in shown]},
            }
        ],
        "layout": _layout(
            height=height,
            margin={"l": 330, "r": 30, "t": 20, "b": 40},
            xaxis={"title": {"text": "完成率（%）"}, "range": [0, BAR_CAP + 5], "ticksuffix": "%"},
            yaxis={"autorange": "reversed", "automargin": True},
            shapes=[
                _vertical_line(100, "#1f2933", "solid"),
                _vertical_line(float(threshold * 100), "#e8a317", "dot"),
            ],
        ),
    }


def _vertical_line(x: float, color: str, dash: str) -> dict:
    return {
        "type": "line",
        "x0": x,
        "x1": x,
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": color, "width": 1.5, "dash": dash},
        # Under the bars: a line drawn on top crossed their labels ("106.↑%").
        "layer": "below",
    }


def department_bars(departments) -> dict:
    """Departments side by side: capped average completion and on-time submission."""
    names = [d.name for d in departments]
    return {
        "data": [
            {
                "type": "bar",
                "name": "平均完成率（封顶120%）",
                "x": names,
                "y": [percent(d.score.average_completion) for d in departments],
                "marker": {"color": "#1f5fa8"},
                "text": [percent_text(d.score.average_completion) for d in departments],
                "textposition": "outside",
            },
            {
                "type": "bar",
                "name": "按时报送率",
                "x": names,
                "y": [percent(d.score.on_time_rate) for d in departments],
                "marker": {"color": "#7fb3e6"},
                "text": [percent_text(d.score.on_time_rate) for d in departments],
                "textposition": "outside",
            },
        ],
        "layout": _layout(
            barmode="group",
            height=380,
            yaxis={"title": {"text": "%"}, "range": [0, 135], "ticksuffix": "%"},
            legend={"orientation": "h", "y": 1.12},
        ),
    }


def department_rating_stack(departments) -> dict:
    names = [d.name for d in departments]
    data = []
    for rating in Standing:  # the standings the table beside it counts
        data.append(
            {
                "type": "bar",
                "name": rating_text(rating),
                "x": names,
                "y": [d.standing_counts[rating] for d in departments],
                "marker": {"color": RATING_COLORS[rating]},
            }
        )
    return {
        "data": data,
        "layout": _layout(
            barmode="stack",
            height=360,
            yaxis={"title": {"text": "指标数"}},
            legend={"orientation": "h", "y": 1.12},
        ),
    }


def indicator_lines(progress, plan, linked=()) -> dict:
    """Targets (derived ones dotted), approved actuals, and the projected path to the final year.

    `linked` (indicators/lifecycle/series.py) adds the same indicator in the plans before
    and after: their targets each in their own style, their actuals, the boundary marked.
    """
    indicator = progress.indicator
    if any(t.text for t in progress.targets.values()) and not progress.series:
        return text_status_chart(progress, plan)
    unit = indicator.unit
    data, shapes, annotations = linked_traces(linked, plan, unit)
    years = sorted({plan.base_year, *plan.years, *(y for s in linked for y in s.plan.years)})
    stated = [
        (y, t.value)
        for y, t in sorted(progress.targets.items())
        if t.value is not None and not t.is_derived
    ]
    derived = [
        (y, t.value)
        for y, t in sorted(progress.targets.items())
        if t.value is not None and t.is_derived
    ]
    base = [(plan.base_year, indicator.base_value)] if indicator.base_value is not None else []
    if derived:
        # The dotted line runs from the base through the derived years to the stated target.
        path = base + derived + stated[-1:]
        data.append(_line("推算目标", path, "#5b7bb5", "dot", unit))
    if stated:
        data.append(
            _line("规划目标", base + stated if not derived else stated, "#5b7bb5", "solid", unit)
        )
    actual = base + sorted(progress.series.items())
    if len(actual) > len(base):
        data.append(_line("实际值（已审核）", actual, "#d64545", "solid", unit, width=3))
    outlook = progress.outlook
    if outlook.projected is not None and progress.series and plan.last_year > max(progress.series):
        latest_year = max(progress.series)
        path = [(latest_year, progress.series[latest_year]), (plan.last_year, outlook.projected)]
        data.append(_line(f"按当前速度推算（{outlook.label}）", path, "#e8a317", "dash", unit))
    revised = [(y, t.value) for y, t in sorted(progress.targets.items()) if t.is_revised]
    revised = [(y, value) for y, value in revised if value is not None]
    if revised:
        data.append(_line("调整后目标", revised, "#7048e8", "solid", unit) | {"mode": "markers"})
    return {
        "data": data,
        "layout": _layout(
            height=380,
            shapes=shapes,
            annotations=annotations,
            xaxis={"tickmode": "array", "tickvals": years, "ticktext": [f"{y}年" for y in years]},
            yaxis={"title": {"text": unit}, "rangemode": "tozero"},
            legend={"orientation": "h", "y": 1.15},
        ),
    }


# A text target (完成市里下达任务) has no figure to draw: its chart is the approved status of
# each year, on these rows from bottom to top.
STATUS_ROWS = {"no_target": "无目标", "missing": "未填报", "not_done": "未完成", "done": "已完成"}
STATUS_COLORS = {
    "no_target": "#cbd2d9",
    "missing": "#9aa5b1",
    "not_done": "#d64545",
    "done": "#2f9e44",
}


def text_status_chart(progress, plan) -> dict:
    """The status history of a text-target indicator: one marker per plan year up to this one."""
    approved = {
        a.year: a.approved_text_status
        for a in progress.indicator.actuals.all()
        if a.approved_at is not None and a.approved_text_status
    }
    years = [y for y in plan.years if y <= progress.year]
    keys = []
    for year in years:
        target = progress.targets.get(year)
        keys.append(approved.get(year) or ("missing" if target is not None else "no_target"))
    labels = [STATUS_ROWS.get(key, key) for key in keys]
    texts = [
        f"{(progress.targets.get(y) and progress.targets[y].text) or '无目标'}：{label}"
        for y, label in zip(years, labels, strict=True)
    ]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": "完成状态（已审核）",
                "x": years,
                "y": labels,
                "text": labels,
                "textposition": "top center",
                "hovertext": texts,
                "hoverinfo": "text",
                "marker": {
                    "size": 16,
                    "symbol": "square",
                    "color": [STATUS_COLORS[k] for k in keys],
                },
            }
        ],
        "layout": _layout(
            height=260,
            showlegend=False,
            xaxis={"tickmode": "array", "tickvals": years, "ticktext": [f"{y}年" for y in years]},
            yaxis={
                "type": "category",
                "categoryorder": "array",
                "categoryarray": list(STATUS_ROWS.values()),
                "range": [-0.5, len(STATUS_ROWS) - 0.5],
            },
        ),
    }


LINKED_COLORS = ("#8d99ae", "#2b9348")


def linked_traces(linked, plan, unit) -> tuple[list, list, list]:
    """The linked plans' targets (each its own colour, dashed) and approved actuals, and a
    dotted vertical line named after the plans at each boundary between plans."""
    data, shapes, annotations = [], [], []
    for number, series in enumerate(linked):
        name = series.plan.short_name
        color = LINKED_COLORS[number % len(LINKED_COLORS)]
        targets = [(y, t.value) for y, t in sorted(series.targets.items()) if t.value is not None]
        if targets:
            data.append(_line(f"{name}目标", targets, color, "dash", unit))
        if series.actuals:
            actuals = sorted(series.actuals.items())
            data.append(_line(f"{name}实际值", actuals, "#d64545", "dot", unit))
        edge = (plan.first_year if series.is_before else series.plan.first_year) - 0.5
        shapes.append(_vertical_line(edge, "#52606d", "dot") | {"xref": "x"})
        boundary = {"x": edge, "y": 1.0, "xref": "x", "yref": "paper", "showarrow": False}
        annotations.append(boundary | {"text": "规划衔接"})
    return data, shapes, annotations


def _line(name, points, color, dash, unit, width=2) -> dict:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "x": [year for year, _ in points],
        "y": [float(value) for _, value in points],
        "line": {"color": color, "dash": dash, "width": width},
        "text": [figure_text(value, unit) for _, value in points],
        "hovertemplate": "%{x}年：%{text}<extra>" + name + "</extra>",
    }
