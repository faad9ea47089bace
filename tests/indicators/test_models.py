"""The database itself refuses what the domain forbids."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from indicators.models import Indicator, Plan, Role, Target, User


def first_indicator(plan) -> Indicator:
    return Indicator.objects.get(plan=plan, number=1)


def test_one_indicator_number_per_plan(wangcheng):
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(plan=wangcheng, number=1, name="重复", unit="家")


def test_the_same_number_in_another_plan_is_fine(wangcheng, hitech):
    assert first_indicator(hitech).number == first_indicator(wangcheng).number == 1


def test_one_target_per_indicator_and_year(wangcheng):
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(indicator=first_indicator(wangcheng), year=2021, value=Decimal(1))


@pytest.mark.parametrize(("value", "text"), [(None, ""), (Decimal("1"), "完成市里下达任务")])
def test_a_target_is_a_number_or_a_text(wangcheng, value, text):
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(
            indicator=first_indicator(wangcheng), year=2024, value=value, text=text
        )


def test_a_derived_target_must_be_a_number(wangcheng):
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(
            indicator=first_indicator(wangcheng),
            year=2024,
            text="完成市里下达任务",
            is_derived=True,
        )


def test_attribute_must_be_known(wangcheng):
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(plan=wangcheng, number=99, name="x", unit="家", attribute="sum")


def test_plan_years_must_be_ordered(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(
            slug="bad", name="坏", short_name="坏", base_year=2020, first_year=2024, last_year=2023
        )


def test_staff_user_needs_a_department(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", role=Role.STAFF)


def test_figures_keep_their_decimals(wangcheng):
    target = Target.objects.get(indicator__plan=wangcheng, indicator__number=27, year=2022)
    assert target.value == Decimal("3.05")
    target.value = Decimal("0.1") + Decimal("0.2")
    target.save()
    target.refresh_from_db()
    assert target.value == Decimal("0.3")


def test_every_change_to_an_indicator_is_kept_in_history(wangcheng, admin_user):
    indicator = first_indicator(wangcheng)
    indicator.name = "工业总产值（改）"
    indicator._history_user = admin_user
    indicator.save()
    latest, previous = indicator.history.all()[:2]
    assert (latest.name, previous.name) == ("工业总产值（改）", "工业总产值")
    assert latest.history_user == admin_user


def test_an_approved_actual_records_when_it_was_approved(wangcheng):
    from indicators.models import Actual

    with pytest.raises(IntegrityError), transaction.atomic():
        Actual.objects.create(
            indicator=first_indicator(wangcheng),
            year=2021,
            value=Decimal(1),
            state="approved",
            approved_value=Decimal(1),
        )
