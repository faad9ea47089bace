"""Plotly figures for the comparison page, built on the server as plain dicts and drawn
by static/js/charts.js. Ranks are drawn on a reversed axis, so up always means better."""

from .display import source_text, value_text

PALETTE = ("#1f5fa8", "#d9822b", "#2f9e44", "#8e44ad", "#c0392b", "#16a085")
GOAL_COLOR = "#d64545"


def entity_colors(entities) -> dict[str, str]:
    return {entity: PALETTE[i % len(PALETTE)] for i, entity in enumerate(entities)}


def hover(figure) -> str:
    """What a hover shows: the value, its period, its source and the start of the quote."""
    quote = figure.quote.replace("\n", " ")
    quote = quote if len(quote) <= 60 else quote[:60] + "…"
    flag = "<br>⚠ 存疑：" + figure.note[:60] if figure.uncertain else ""
    return (
        f"<b>{figure.entity}</b> · {figure.metric}<br>{figure.period}：{value_text(figure)}"
        f"<br>来源：{source_text(figure)}<br>原文：“{quote}”{flag}"
    )


def wrapped(text: str, width: int = 12) -> str:
    """Break a long Chinese label into lines, so a phone keeps room for the bars."""
    return "<br>".join(text[i : i + width] for i in range(0, len(text), width))


def _layout(**extra) -> dict:
    layout = {
        "margin": {"l": 10, "r": 10, "t": 30, "b": 40},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"align": "left"},
        "showlegend": True,
        "legend": {"orientation": "h", "y": -0.15},
    }
    layout.update(extra)
    return layout


def topic_bars(group, colors: dict[str, str]) -> dict:
    """One horizontal bar per park and metric; a legend entry per park."""
    traces = {}
    for figure in group.figures:
        trace = traces.setdefault(
            figure.entity,
            {
                "type": "bar",
                "orientation": "h",
                "name": figure.entity,
                "x": [],
                "y": [],
                "text": [],
                "hovertext": [],
                "hoverinfo": "text",
                "textposition": "auto",
                "marker": {"color": colors.get(figure.entity, PALETTE[0])},
            },
        )
        label = f"{figure.metric}（{figure.period}）" + ("⚠" if figure.uncertain else "")
        trace["y"].append(f"<b>{figure.entity}</b><br>{wrapped(label)}")
        trace["x"].append(float(figure.value))
        trace["text"].append(value_text(figure))
        trace["hovertext"].append(hover(figure))
    height = max(260, 120 + 56 * len(group.figures))
    return {
        "data": list(traces.values()),
        "layout": _layout(
            height=height,
            barmode="group",
            yaxis={"automargin": True, "autorange": "reversed"},
            xaxis={"title": {"text": group.unit}, "rangemode": "tozero"},
        ),
    }


def rank_lines(series, colors: dict[str, str]) -> dict:
    """The ranks over time and the goal beside the latest; the y axis is reversed."""
    color = colors.get(series.entity, PALETTE[0])
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers+text",
            "name": "排名",
            "x": [f.period for f in series.ranks],
            "y": [float(f.value) for f in series.ranks],
            "text": [value_text(f) for f in series.ranks],
            "textposition": "top center",
            "hovertext": [hover(f) for f in series.ranks],
            "hoverinfo": "text",
            "line": {"color": color},
            "marker": {
                "size": 10,
                "symbol": ["circle-open" if f.uncertain else "circle" for f in series.ranks],
            },
        }
    ]
    annotations = []
    if series.goal is not None:
        goal = series.goal
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": "目标",
                "x": [goal.period],
                "y": [float(goal.value)],
                "text": [f"目标：{value_text(goal)}"],
                "textposition": "bottom center",
                "hovertext": [hover(goal)],
                "hoverinfo": "text",
                "marker": {"size": 12, "symbol": "star", "color": GOAL_COLOR},
            }
        )
        if series.ranks:
            latest = series.ranks[-1]
            annotations.append(
                {
                    "x": goal.period,
                    "y": float(goal.value),
                    "ax": latest.period,
                    "ay": float(latest.value),
                    "xref": "x",
                    "yref": "y",
                    "axref": "x",
                    "ayref": "y",
                    "showarrow": True,
                    "arrowhead": 2,
                    "arrowcolor": GOAL_COLOR,
                    "text": "",
                }
            )
    values = [float(f.value) for f in series.ranks] + (
        [float(series.goal.value)] if series.goal else []
    )
    pad = max(3.0, (max(values) - min(values)) * 0.25)
    return {
        "data": data,
        "layout": _layout(
            height=300,
            annotations=annotations,
            xaxis={"type": "category"},
            # Lower is better: the axis runs from the last place at the bottom to 1st on top.
            margin={"l": 20, "r": 30, "t": 30, "b": 40},
            yaxis={
                "automargin": True,
                "title": {"text": "名次（越靠上越好）"},
                "range": [max(values) + pad, max(0.5, min(values) - pad)],
                "zeroline": False,
            },
        ),
    }
