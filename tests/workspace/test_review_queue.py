"""The one review queue: every plan and kind by default, counts, assessment, pages, select-all."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.actuals import evidence_add
from indicators.models import Actual, Indicator
from indicators.reporting.review import PER_PAGE
from tests.factories import FIGURE_CASES, grow_plan

from .helpers import HITECH, WANGCHENG, staff, submit, wangcheng_indicator

ROOT = Path(__file__).resolve().parents[2]


def submit_every_kind():
    for case in FIGURE_CASES:
        case.save(case.subject(), case.reporter(), case.values[0], None, True)


def test_the_queue_opens_on_every_plan_and_kind(client, admin_user, loaded_plans):
    submit_every_kind()  # an indicator of Wangcheng, a Hi-Tech project, a Wangcheng milestone
    client.force_login(admin_user)
    html = client.get("/review/").content.decode()
    assert "共 3 条待审核" in html
    assert "26. 高新技术企业" in html
    assert "中联智慧产业城" in html
    assert "引进产业链企业" in html
    assert "没有待审核的数据" not in html


def test_counts_per_plan_and_kind_link_to_their_filter(client, admin_user, loaded_plans):
    submit_every_kind()
    client.force_login(admin_user)
    html = client.get(f"/review/?plan={HITECH}").content.decode()
    assert f'<a href="?plan={WANGCHENG}&amp;kind=actual">1</a>' in html
    assert f'<a href="?plan={WANGCHENG}&amp;kind=progress">1</a>' in html
    assert f'<a href="?plan={HITECH}&amp;kind=investment">1</a>' in html
    # Filtered to Hi-Tech: its project only, while the table still counts the rest.
    assert "中联智慧产业城" in html and "26. 高新技术企业" not in html


def test_an_empty_filter_points_to_the_rest(client, admin_user, kjj):
    submit(kjj)
    client.force_login(admin_user)
    html = client.get(f"/review/?plan={HITECH}").content.decode()
    assert "所选规划和类别没有待审核的数据；其他规划或类别的待审数据见上表。" in html


def test_each_row_shows_completion_rating_jump_and_evidence(client, admin_user, kjj):
    # 26. 高新技术企业 2021: target 250 家, base 199 家; 260 家 is 104.0%, +30.7% on the base.
    evidence_add(
        indicator=wangcheng_indicator(26),
        year=2021,
        user=kjj,
        upload=SimpleUploadedFile("统计公报.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    submit(kjj, number=26, value="260")
    # 27. R&D share 2021: target 3%; 2.5% is 0.5 points short: 基本达标 within 1 point.
    submit(kjj, number=27, value="2.5")
    client.force_login(admin_user)
    html = client.get(f"/review/?plan={WANGCHENG}").content.decode()
    row26 = html[html.index("26. 高新技术企业") : html.index("27. 全社会研发经费")]
    assert '<td class="num completion">104.0%</td>' in row26
    assert "✔ 达标" in row26
    assert '<td class="num jump">+30.7%</td>' in row26
    assert "统计公报.pdf" in row26 and "/evidence/" in row26
    row27 = html[html.index("27. 全社会研发经费") :]
    assert '<td class="num completion">83.3%</td>' in row27
    assert "◐ 基本达标" in row27


def test_a_jump_beyond_half_is_flagged(client, admin_user, kjj):
    Actual.objects.create(
        indicator=wangcheng_indicator(26),
        year=2021,
        value=200,
        approved_value=200,
        state="approved",
        approved_at="2022-03-01T00:00:00Z",
    )
    Actual.objects.create(  # 200 → 400 家: +100%, confirmed by its department
        indicator=wangcheng_indicator(26),
        year=2022,
        value=400,
        state="submitted",
        explanation="新认定 200 家",
    )
    client.force_login(admin_user)
    html = client.get("/review/").content.decode()
    assert '<strong class="bad" title="变动超过 50%">⚠ +100.0%</strong>' in html


def test_select_all_is_a_static_script(client, admin_user, kjj):
    submit(kjj)
    client.force_login(admin_user)
    html = client.get("/review/").content.decode()
    assert '<input type="checkbox" data-select-all="bulk">' in html
    assert 'src="/static/js/select-all.js"' in html
    assert "<script>" not in html
    assert "data-select-all" in (ROOT / "static/js/select-all.js").read_text()


def _waiting(plan, count: int) -> None:
    grow_plan(plan, count)
    for indicator in Indicator.objects.filter(plan=plan, number__gt=42):
        Actual.objects.create(indicator=indicator, year=2021, value=5, state="submitted")


def test_the_queue_is_paged_with_a_fixed_query_count(client, admin_user, wangcheng):
    submit_every_kind()
    client.force_login(admin_user)
    client.get("/review/")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/review/").status_code == 200
    _waiting(wangcheng, 70)
    with CaptureQueriesContext(connection) as large:
        html = client.get("/review/").content.decode()
    # Bounded by the kinds, not the rows: page 1 now holds actuals only, so it reads less.
    assert len(large) <= len(small) <= 14
    assert "共 73 条待审核" in html and "第 1 / 2 页" in html
    assert html.count('form="bulk"') == PER_PAGE
    with CaptureQueriesContext(connection) as last:
        second = client.get("/review/?page=2").content.decode()
    assert len(last) <= len(small)
    assert second.count('form="bulk"') == 23
    assert "中联智慧产业城" in second and "引进产业链企业" in second
    assert client.get("/review/?page=x").status_code == 400


def test_a_selection_is_approved_in_one_go(client, admin_user, kjj):
    ids = [submit(kjj, number=n, value=v).pk for n, v in ((26, "260"), (28, "1"))]
    client.force_login(admin_user)
    response = client.post("/review/decide/", {"actual": ids, "action": "approve"}, follow=True)
    assert "已审核通过 2 条" in response.content.decode()
    assert set(Actual.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"approved"}


def test_a_selection_with_one_stale_figure_changes_nothing(client, admin_user, kjj):
    ids = [submit(kjj, number=n, value=v).pk for n, v in ((26, "260"), (28, "1"))]
    Actual.objects.filter(pk=ids[1]).update(state="draft")
    client.force_login(admin_user)
    response = client.post(
        "/review/decide/", {"actual": ids, "action": "return", "reason": "请核对"}, follow=True
    )
    assert "未做任何修改" in response.content.decode()
    assert Actual.objects.get(pk=ids[0]).state == "submitted"


def test_only_the_plan_office_reviews(client, kjj):
    client.force_login(staff("other", "区财政局"))
    assert client.get("/review/").status_code == 403
