"""What the compression middleware leaves alone (wangcheng_plan/middleware.py): files that
are zip archives already. Pages and JSON: tests/test_health.py."""

import gzip

from indicators.models import Role
from tests.factories import make_user
from wangcheng_plan.middleware import fast_gzip


def test_an_excel_report_travels_as_it_is(client, wangcheng):
    client.force_login(make_user("leader-xlsx", Role.LEADER, department="区委区政府"))
    response = client.get(
        "/reports/wangcheng-2021-2023/2021.xlsx", HTTP_ACCEPT_ENCODING="gzip, deflate, br"
    )
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert response.content[:2] == b"PK"  # the zip archive itself


def test_the_fast_gzip_reads_back_and_varies_its_length():
    page = "<tr><td>规模以上工业增加值</td><td>12.5%</td></tr>".encode() * 400
    packed = {fast_gzip(page, 100) for _ in range(20)}
    assert {gzip.decompress(p) for p in packed} == {page}
    assert len({len(p) for p in packed}) > 1  # the random file name: lengths differ
