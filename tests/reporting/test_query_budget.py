"""The kernel's pages cost a fixed number of queries, whatever the number of figures waiting:
the same with one figure of each kind as with thirty more of each."""

import pytest

from indicators.models import Role
from tests.factories import FIGURE_CASES, HITECH, WANGCHENG, grow_reported_figures, make_user

# url (formatted with the subjects' keys) → (role, budget)
PAGES = {
    "/review/": (Role.ADMIN, 12),
    "/projects/review/": (Role.ADMIN, 12),
    f"/review/?plan={WANGCHENG}&kind=progress": (Role.ADMIN, 8),
    f"/report/{WANGCHENG}/2021/26/history/": (Role.LEADER, 8),
    f"/projects/{HITECH}/14/history/2022/": (Role.LEADER, 8),
    f"/tasks/{WANGCHENG}/milestones/{{milestone}}/history/2022/": (Role.LEADER, 9),
    f"/report/{WANGCHENG}/2021/upload/": (Role.ADMIN, 5),
    f"/projects/{HITECH}/report/2022/upload/": (Role.ADMIN, 5),
    f"/tasks/{WANGCHENG}/report/2022/upload/": (Role.ADMIN, 5),
    f"/report/{WANGCHENG}/2022/template.xlsx": (Role.ADMIN, 8),
    f"/projects/{HITECH}/report/2022/template.xlsx": (Role.ADMIN, 6),
    f"/tasks/{WANGCHENG}/report/2022/template.xlsx": (Role.ADMIN, 7),
}


@pytest.mark.parametrize("url", PAGES)
def test_a_kernel_page_costs_a_fixed_number_of_queries(
    client, loaded_plans, django_assert_max_num_queries, url
):
    role, budget = PAGES[url]
    subjects = {}
    for case in FIGURE_CASES:
        subject = case.subject()
        case.save(subject, case.reporter(), case.values[0], None, True)
        subjects[case.key] = subject
    url = url.format(milestone=subjects["progress"].pk)
    client.force_login(make_user("reader", role, department="区委区政府"))
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200
    grow_reported_figures()
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200
