"""load_published: every figure and link once, idempotent, with history; the rules the
database holds."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from indicators.models import Indicator
from parks.models import IndicatorLink, PublishedFigure, SourceDocument
from tests.parks.conftest import load_published_quietly


def test_it_loads_every_figure_and_link_once(published):
    assert SourceDocument.objects.count() == 3
    assert PublishedFigure.objects.count() == 128
    assert IndicatorLink.objects.count() == 6
    assert PublishedFigure.objects.filter(uncertain=True).count() == 23
    history = PublishedFigure.history.count()

    load_published_quietly()  # a second run writes nothing

    assert PublishedFigure.objects.count() == 128
    assert PublishedFigure.history.count() == history
    assert IndicatorLink.history.count() == 6


def test_it_reports_what_it_loaded(loaded_plans, capsys):
    call_command("load_published")
    out = capsys.readouterr().out
    assert "公开报道数据 128 条（写入 128）" in out
    call_command("load_published")
    assert "公开报道数据 128 条（写入 0）" in capsys.readouterr().out


def test_a_changed_fixture_value_is_corrected_in_place(published):
    figure = PublishedFigure.objects.get(key="yz-rank-2024")
    figure.value = Decimal("150")
    figure.save()
    load_published_quietly()
    figure.refresh_from_db()
    assert figure.value == Decimal("152")
    assert figure.history.count() == 3  # loaded, changed, put back


def test_wangcheng_indicator_8_is_linked_with_its_scope(published):
    link = IndicatorLink.objects.select_related("figure").get(
        indicator=Indicator.objects.get(plan__slug="wangcheng-2021-2023", number=8)
    )
    assert link.figure.value == Decimal("2")
    assert link.figure.metric == "年产值过百亿元企业"
    assert "望城经开区（园区）" in link.scope_note and "全区" in link.scope_note


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "rank", "direction": "higher", "value": Decimal("3")},  # a rank read upwards
        {"kind": "rank", "direction": "lower", "value": Decimal("0")},
        {"kind": "result", "value": Decimal("-1")},
        {"uncertain": True, "note": ""},
        {"quote": ""},
        {"kind": "estimate"},
    ],
)
def test_the_database_refuses_broken_figures(published, change):
    figure = PublishedFigure.objects.get(key="yz-hightech")
    for name, value in change.items():
        setattr(figure, name, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        figure.save()


def test_one_key_per_document(published):
    figure = PublishedFigure.objects.get(key="yz-hightech")
    figure.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        figure.save()
