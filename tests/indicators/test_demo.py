"""Sample data: loaded for a first start, labelled, removed without touching real figures."""

import io
from decimal import Decimal

from django.core.management import call_command

from indicators.actuals import ActualEntry, actual_save
from indicators.models import Actual, Indicator


def run(command: str) -> str:
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def test_load_demo_fills_the_reported_years_with_approved_samples(loaded_plans):
    output = run("load_demo")
    samples = Actual.objects.filter(is_demo=True)
    assert samples.exists() and "已载入示例实际值" in output
    assert not samples.exclude(state="approved").exists()
    assert not samples.filter(approved_at__isnull=True).exists()
    # Deterministic: loading again into a cleared database gives the same figures.
    first = sorted(samples.values_list("indicator_id", "year", "approved_value"))
    run("clear_demo")
    run("load_demo")
    again = sorted(Actual.objects.values_list("indicator_id", "year", "approved_value"))
    assert again == first


def test_text_targets_get_a_status_and_shares_stay_within_100(loaded_plans):
    run("load_demo")
    text = Actual.objects.filter(
        indicator__plan__slug="changsha-hitech-2021-2025", indicator__number=22, year=2025
    ).get()
    assert (text.value, text.approved_text_status) == (None, "done")
    shares = Actual.objects.filter(indicator__unit="%", indicator__is_rate=False)
    assert all(
        Decimal(0) <= a.approved_value <= 100 for a in shares if a.approved_value is not None
    )


def test_clear_demo_keeps_real_figures(wangcheng, admin_user):
    run("load_demo")
    indicator = Indicator.objects.select_related("plan").get(plan=wangcheng, number=26)
    sample = Actual.objects.get(indicator=indicator, year=2021)
    real = actual_save(
        indicator=indicator,
        year=2021,
        user=admin_user,
        entry=ActualEntry(value=Decimal(260)),
        expected_version=sample.version,
        submit=True,
    )
    # The department's own figure replaced the sample, approved sample value included.
    assert (real.is_demo, real.approved_value, real.approved_at) == (False, None, None)
    output = run("clear_demo")
    assert "真实数据未受影响" in output
    assert list(Actual.objects.values_list("indicator__number", "year", "value")) == [
        (26, 2021, Decimal(260))
    ]


def test_no_samples_once_real_figures_exist(wangcheng, admin_user):
    indicator = Indicator.objects.select_related("plan").get(plan=wangcheng, number=26)
    actual_save(
        indicator=indicator,
        year=2021,
        user=admin_user,
        entry=ActualEntry(value=Decimal(260)),
        expected_version=None,
        submit=False,
    )
    assert "不再载入示例数据" in run("load_demo")
    assert not Actual.objects.filter(is_demo=True).exists()
