"""Defects the three copies of the reporting code had drifted into, each fixed once in the
kernel: sample text kept by a real figure, an unchecked redirect, and an Excel upload that
overwrote a figure changed after the template was downloaded."""

import os
from decimal import Decimal

import pytest
from django.core.management import call_command

from indicators.actuals import ActualEntry, actual_save
from indicators.models import Actual, Role
from tests.factories import WANGCHENG, indicator, make_user
from tests.reporting.excel import download, fill, upload

TEMPLATE = f"/report/{WANGCHENG}/2021/template.xlsx"
UPLOAD = f"/report/{WANGCHENG}/2021/upload/"


def quietly(command: str) -> None:
    with open(os.devnull, "w") as sink:
        call_command(command, stdout=sink)


@pytest.fixture
def kjj(loaded_plans):
    """A 填报员 of 区科技局, which leads 26. 高新技术企业 (2021 target 250 家)."""
    return make_user("kjj-d", Role.STAFF, department="区科技局")


@pytest.fixture
def office(loaded_plans):
    return make_user("office-d", Role.ADMIN)


def test_an_excel_figure_over_a_sample_keeps_none_of_its_text(client, kjj):
    quietly("load_demo")
    sample = Actual.objects.get(indicator__plan__slug=WANGCHENG, indicator__number=26, year=2021)
    sample.explanation = "示例：受市场需求波动影响，部分项目进度滞后。"
    sample.save()
    assert (sample.is_demo, sample.source) == (True, "示例数据")
    client.force_login(kjj)
    workbook = download(client, TEMPLATE)
    fill(workbook, 26, F=260)
    assert upload(client, UPLOAD, workbook).status_code == 302
    real = Actual.objects.get(pk=sample.pk)
    assert (real.is_demo, real.value, real.source, real.explanation) == (
        False,
        Decimal("260"),
        "",
        "",
    )
    quietly("clear_demo")
    assert Actual.objects.filter(pk=sample.pk).exists()


def test_the_form_over_a_sample_offers_none_of_its_text(client, kjj):
    quietly("load_demo")
    sample = Actual.objects.get(indicator__plan__slug=WANGCHENG, indicator__number=26, year=2021)
    sample.explanation = "示例：受市场需求波动影响，部分项目进度滞后。"
    sample.save()
    client.force_login(kjj)
    html = client.get(f"/report/{WANGCHENG}/2021/").content.decode()
    assert "示例：受市场需求波动影响" not in html
    assert 'value="示例数据"' not in html


@pytest.mark.parametrize("url", ["/review/decide/", "/projects/review/decide/"])
def test_the_review_never_redirects_off_the_site(client, office, url):
    client.force_login(office)
    response = client.post(url, {"action": "approve", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.url == "/review/"
    response = client.post(url, {"action": "approve", "next": "/review/?kind=actual"})
    assert response.url == "/review/?kind=actual"


def test_an_upload_never_overwrites_a_figure_changed_after_the_download(client, kjj, office):
    client.force_login(kjj)
    workbook = download(client, TEMPLATE)
    # Meanwhile the plan office enters and submits the department's figure.
    actual_save(
        indicator=indicator(26),
        year=2021,
        user=office,
        entry=ActualEntry(value=Decimal("265"), source="统计年报"),
        expected_version=None,
        submit=True,
    )
    fill(workbook, 26, F=260)
    fill(workbook, 27, F=3)
    response = upload(client, UPLOAD, workbook)
    assert response.status_code == 400
    assert list(response.context["issues"]) == [
        "2021年实际值填报 第3行「2021年实际值」：下载模板后，该实际值已被 office-d 修改"
        "（现为“待审核”），请重新下载模板，核对后再填报"
    ]
    actual = Actual.objects.get(indicator__plan__slug=WANGCHENG, indicator__number=26, year=2021)
    assert (actual.value, actual.state, actual.version) == (Decimal("265"), "submitted", 1)
    assert not Actual.objects.filter(indicator__number=27).exists()
    # A fresh template carries the new version: the department can now overwrite knowingly.
    workbook = download(client, TEMPLATE)
    fill(workbook, 26, F=260)
    assert upload(client, UPLOAD, workbook).status_code == 302
    actual.refresh_from_db()
    assert (actual.value, actual.state, actual.version) == (Decimal("260"), "draft", 2)


def test_a_template_taken_over_samples_still_uploads_after_clear_demo(client, kjj):
    quietly("load_demo")
    client.force_login(kjj)
    workbook = download(client, TEMPLATE)
    quietly("clear_demo")  # the plan office removes the samples meanwhile
    fill(workbook, 26, F=260)
    assert upload(client, UPLOAD, workbook).status_code == 302
    actual = Actual.objects.get(indicator__plan__slug=WANGCHENG, indicator__number=26, year=2021)
    assert (actual.value, actual.is_demo, actual.version) == (Decimal("260"), False, 1)
