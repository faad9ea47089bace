"""What the review queue weighs the projects' figures against (indicators/reporting/review.py).

Registered here because `indicators` may not import `projects`; the projects app could
take these over in its own AppConfig.ready().
"""

from indicators.actual_input import IndicatorFacts
from indicators.reporting.review import register_facts
from projects.milestones import milestone_facts
from projects.models.investment import INVESTMENT_UNIT


def progress_facts(progress):
    """A milestone's progress against the year's target and last year's approved figure."""
    milestone = progress.milestone
    return milestone_facts(milestone, progress.year), progress.value, milestone.task.plan


def investment_facts(investment):
    """A project's completed investment against its plan for the year."""
    facts = IndicatorFacts(
        unit=INVESTMENT_UNIT,
        attribute="annual",
        direction="increase",
        is_rate=False,
        target_value=investment.planned,
        target_text="",
        previous_value=None,
        previous_label="",
    )
    return facts, investment.completed, investment.project.plan


register_facts("progress", progress_facts)
register_facts("investment", investment_facts)
