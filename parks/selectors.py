"""Reads for the comparison page: the parks' figures lined up by topic, their ranks over
time and their goals beside the latest value, from one query."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from .models import COMPARED_ENTITIES, FigureKind, PublishedFigure, Topic

TOPICS = (Topic.ENTERPRISES, Topic.PROJECTS, Topic.INVESTMENT, Topic.OUTPUT)


@dataclass(frozen=True)
class GoalDistance:
    goal: PublishedFigure
    latest: PublishedFigure | None
    distance: Decimal | None  # places to climb for a rank, the amount still to go otherwise

    @property
    def reached(self) -> bool:
        return self.distance is not None and self.distance <= 0


@dataclass(frozen=True)
class RankSeries:
    entity: str
    metric: str
    ranks: list  # by reference year
    goal: PublishedFigure | None
    changes: list


@dataclass(frozen=True)
class TopicGroup:
    topic: Topic
    unit: str
    figures: list  # the latest result of each park and metric


@dataclass(frozen=True)
class Comparison:
    figures: list  # every published figure, parks and everything else
    topics: list
    rank_series: list
    goals: list
    entities: list  # the parks and new areas, in the order they first appear


def _latest(figures) -> PublishedFigure | None:
    return max(figures, key=lambda f: (f.reference_year, f.pk), default=None)


def comparison() -> Comparison:
    """Everything the comparison page shows; one query."""
    figures = list(PublishedFigure.objects.with_source().order_by("source__key", "pk"))
    compared = [f for f in figures if f.entity_kind in COMPARED_ENTITIES]
    entities = list(dict.fromkeys(f.entity for f in compared))
    by_series = defaultdict(list)
    for figure in compared:
        by_series[(figure.entity, figure.metric)].append(figure)

    topics = []
    for topic in TOPICS:
        latest = [
            _latest([f for f in series if f.kind == FigureKind.RESULT])
            for series in by_series.values()
            if series[0].topic == topic
        ]
        by_unit = defaultdict(list)
        for figure in filter(None, latest):
            by_unit[figure.unit].append(figure)
        topics.extend(TopicGroup(topic, unit, found) for unit, found in by_unit.items())

    rank_series, goals = [], []
    for (entity, metric), series in by_series.items():
        ranks = sorted(
            (f for f in series if f.kind == FigureKind.RANK), key=lambda f: f.reference_year
        )
        rank_goal = _latest([f for f in series if f.kind == FigureKind.RANK_GOAL])
        changes = [f for f in series if f.kind == FigureKind.RANK_CHANGE]
        if ranks or rank_goal:
            rank_series.append(RankSeries(entity, metric, ranks, rank_goal, changes))
        for goal in (f for f in series if f.is_goal):
            kinds = (FigureKind.RANK,) if goal.is_rank else (FigureKind.RESULT,)
            latest = _latest(
                [f for f in series if f.kind in kinds and f.reference_year <= goal.reference_year]
            )
            goals.append(GoalDistance(goal, latest, _distance(goal, latest)))
    return Comparison(figures, topics, rank_series, goals, entities)


def _distance(goal: PublishedFigure, latest: PublishedFigure | None) -> Decimal | None:
    """Places still to climb (a rank: lower is better) or the amount still to go."""
    if latest is None:
        return None
    if goal.is_rank:
        return latest.value - goal.value
    return goal.value - latest.value
