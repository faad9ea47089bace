"""The loaded projects equal an independent transcription of 附件二, field by field.

tests/data/changsha_hitech_projects.csv is transcribed by someone else from the same
source, so a misread row (a page break, a swapped column) shows up as a difference.
Whitespace is not compared: the PDF conversion put spaces around Latin letters and digits
(年产 500 万 KM), which two careful transcribers may keep or drop.
"""

import csv
import re
from decimal import Decimal

import pytest

from projects.models import Project, ProjectCategory
from tests.factories import TEST_DATA

TRANSCRIPTION = TEST_DATA / "changsha_hitech_projects.csv"
CATEGORIES = {
    **{value: value for value in ProjectCategory.values},
    **{str(label): value for value, label in ProjectCategory.choices},
}

pytestmark = pytest.mark.skipif(
    not TRANSCRIPTION.exists(),
    reason=f"{TRANSCRIPTION.name} (the independent transcription of 附件二) is not written yet",
)


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def transcription() -> list[dict]:
    if not TRANSCRIPTION.exists():
        return []
    with open(TRANSCRIPTION, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ROWS = transcription()


def test_it_has_every_project_of_the_transcription(hitech):
    loaded = set(Project.objects.filter(plan=hitech).values_list("number", flat=True))
    assert {int(row["number"]) for row in ROWS} == loaded
    assert len(ROWS) == 91


@pytest.mark.parametrize("expected", ROWS, ids=lambda row: f"project-{row['number']}")
def test_project_matches_transcription(hitech, expected):
    project = Project.objects.get(plan=hitech, number=int(expected["number"]))
    assert project.category == CATEGORIES[expected["category"].strip()]
    assert compact(project.name) == compact(expected["name"])
    assert compact(project.builder) == compact(expected["builder"])
    assert project.total_investment == Decimal(expected["total_investment"])
    assert compact(project.content) == compact(expected["content"])
