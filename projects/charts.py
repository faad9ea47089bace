"""Plotly figures for the project and task pages, built on the server as plain dicts.

Figures travel as strings (plain_decimal), never floats: plotly.js reads numeric strings
on a linear axis. Hover texts carry the unit and thousands separators, the same text the
table under each chart shows.
"""

from decimal import Decimal

from indicators.formatting import figure_text, percent_value, plain_decimal

from .models import INVESTMENT_UNIT, EnterpriseKind, EnterpriseStatus
from .selectors import CategorySummary, CategoryYear, MilestoneLine

PLANNED_COLOUR = "#9fb3c8"
COMPLETED_COLOUR = "#1f5fa8"
TOTAL_COLOUR = "#cbd2d9"
STATUS_COLOURS = {
    EnterpriseStatus.CULTIVATING: "#9fb3c8",
    EnterpriseStatus.WITHDRAWN: "#b42318",
}
ACHIEVED_COLOUR = "#2f8132"


def _values(values: list[Decimal | None]) -> list[str | None]:
    return [plain_decimal(value) for value in values]


def _texts(values: list[Decimal | None], unit: str) -> list[str]:
    return [figure_text(value, unit, "未填报") for value in values]


def _layout(title: str, **extra) -> dict:
    """The common layout. The page shows the title as a heading above the chart, so the
    figure keeps it only as `meta` (for an image exported from the mode bar)."""
    layout = {
        "meta": {"title": title},
        "margin": {"l": 60, "r": 20, "t": 20, "b": 60},
        "legend": {"orientation": "h", "y": -0.2},
        "hovermode": "closest",
    }
    layout.update(extra)
    return layout


def _bar(name: str, x: list, y: list, colour: str, unit: str, **extra) -> dict:
    trace = {
        "type": "bar",
        "name": name,
        "x": x,
        "y": _values(y),
        "text": _texts(y, unit),
        "textposition": "none",
        "hovertemplate": "%{x}<br>" + name + "：%{text}<extra></extra>",
        "marker": {"color": colour},
    }
    trace.update(extra)
    return trace


def planned_completed_figure(
    labels: list[str], planned: list[Decimal | None], completed: list[Decimal | None], title: str
) -> dict:
    """Grouped bars of approved planned and completed investment, one pair per label."""
    return {
        "data": [
            _bar("计划投资", labels, planned, PLANNED_COLOUR, INVESTMENT_UNIT),
            _bar("完成投资", labels, completed, COMPLETED_COLOUR, INVESTMENT_UNIT),
        ],
        "layout": _layout(
            title,
            barmode="group",
            yaxis={"title": {"text": INVESTMENT_UNIT}, "rangemode": "tozero"},
        ),
    }


def _pairs(figures: list[CategoryYear | None]) -> tuple[list, list]:
    reported = [f if f is not None and f.projects else None for f in figures]
    return [f.planned if f else None for f in reported], [
        f.completed if f else None for f in reported
    ]


def category_year_figure(summaries: list[CategorySummary], year: int) -> dict:
    planned, completed = _pairs([s.years.get(year) for s in summaries])
    labels = [s.label for s in summaries]
    return planned_completed_figure(labels, planned, completed, f"{year}年分类别计划与完成投资")


def years_figure(totals: dict[int, CategoryYear]) -> dict:
    planned, completed = _pairs(list(totals.values()))
    labels = [f"{year}年" for year in totals]
    return planned_completed_figure(labels, planned, completed, "逐年计划与完成投资（全部项目）")


def project_years_figure(title: str, years: list[int], by_year: dict) -> dict:
    """A project's approved planned and completed investment per plan year; a figure not
    yet approved (or a completed figure not yet reported) is missing, never zero."""
    approved = [by_year[y] if y in by_year and by_year[y].approved_at else None for y in years]
    planned = [i.approved_planned if i else None for i in approved]
    completed = [i.approved_completed if i else None for i in approved]
    labels = [f"{year}年" for year in years]
    return planned_completed_figure(labels, planned, completed, title)


def largest_projects_figure(projects: list) -> dict:
    """Horizontal bars: total investment and approved completed investment, largest first."""
    ordered = list(reversed(projects))  # plotly draws the first category at the bottom
    labels = [f"{p.number}. {p.name}" for p in ordered]
    totals = [p.total_investment for p in ordered]
    completed = [p.completed_total for p in ordered]

    def horizontal(name, values, colour):
        trace = _bar(name, labels, values, colour, INVESTMENT_UNIT, orientation="h")
        trace["x"], trace["y"] = _values(values), labels
        trace["hovertemplate"] = "%{y}<br>" + name + "：%{text}<extra></extra>"
        return trace

    return {
        "data": [
            horizontal("总投资", totals, TOTAL_COLOUR),
            horizontal("累计完成投资（已审核）", completed, COMPLETED_COLOUR),
        ],
        "layout": _layout(
            f"总投资前 {len(projects)} 位的项目",
            barmode="group",
            height=120 + 45 * len(projects),
            margin={"l": 320, "r": 20, "t": 20, "b": 60},
            xaxis={"title": {"text": INVESTMENT_UNIT}, "rangemode": "tozero"},
            yaxis={"automargin": True},
        ),
    }


def milestones_figure(lines: list[MilestoneLine], year: int) -> dict:
    """Horizontal bars: each milestone's progress towards its target, in percent."""
    ordered = list(reversed(lines))
    labels = [f"{line.milestone.code} {line.milestone.name}" for line in ordered]
    percents = [percent_value(line.progress) for line in ordered]
    colours = [
        ACHIEVED_COLOUR if p is not None and p >= 100 else COMPLETED_COLOUR for p in percents
    ]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "name": "完成进度",
                "x": _values(percents),
                "y": labels,
                "text": [line.progress_text for line in ordered],
                "textposition": "none",
                "hovertemplate": "%{y}<br>完成进度：%{text}<extra></extra>",
                "marker": {"color": colours},
            }
        ],
        "layout": _layout(
            f"任务目标完成进度（截至{year}年，已审核数据）",
            height=120 + 28 * len(lines),
            margin={"l": 300, "r": 20, "t": 20, "b": 50},
            xaxis={"title": {"text": "%"}, "rangemode": "tozero"},
            yaxis={"automargin": True},
            shapes=[
                {
                    "type": "line",
                    "x0": 100,
                    "x1": 100,
                    "yref": "paper",
                    "y0": 0,
                    "y1": 1,
                    "line": {"dash": "dot", "color": "#52606d"},
                }
            ],
            showlegend=False,
        ),
    }


def enterprise_status_counts(enterprises: list) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """Return (kind labels, [(status label, count per kind)]) for the statuses in use."""
    kinds = [(kind, str(label)) for kind, label in EnterpriseKind.choices]
    rows = []
    for status, label in EnterpriseStatus.choices:
        counts = [
            sum(1 for e in enterprises if e.kind == kind and e.status == status)
            for kind, _ in kinds
        ]
        if any(counts):
            rows.append((str(label), counts))
    return [label for _, label in kinds], rows


def enterprises_figure(enterprises: list) -> dict:
    """Stacked bars: how many enterprises of each kind are at each status."""
    kinds, rows = enterprise_status_counts(enterprises)
    data = []
    for index, (label, counts) in enumerate(rows):
        colour = next(
            (c for s, c in STATUS_COLOURS.items() if str(s.label) == label),
            [ACHIEVED_COLOUR, COMPLETED_COLOUR, "#f0b429", "#7b61ff"][index % 4],
        )
        data.append(
            {
                "type": "bar",
                "name": label,
                "x": kinds,
                "y": counts,
                "hovertemplate": "%{x}<br>" + label + "：%{y} 家<extra></extra>",
                "marker": {"color": colour},
            }
        )
    return {
        "data": data,
        "layout": _layout(
            "标杆企业培育状态",
            barmode="stack",
            showlegend=True,
            yaxis={"title": {"text": "家"}, "dtick": 1, "rangemode": "tozero"},
        ),
    }
