"""Unapproved figures stay with their department and the plan office: every URL × every role
× every state of a figure. Leaders and other departments see approved figures only."""

import io
import json

import openpyxl
import pytest

from indicators.models import Department, Role
from indicators.reporting.review import figure_approve, figure_return
from tests.factories import (
    ACTUAL,
    HITECH,
    INVESTMENT,
    PROGRESS,
    WANGCHENG,
    make_user,
)

STATES = ["draft", "submitted", "returned", "correction"]
# Who may see each kind's working figures, by hand: the lead (or supervising) unit, the
# responsible units of an indicator, and the plan office. 区工信局 is a responsible unit of
# indicator 26 and a lead unit of milestone 4-1; 区财政局 has none of them.
ROLES = {
    "kjj": (Role.STAFF, "区科技局", {"actual"}),
    "gxj": (Role.STAFF, "区工信局", {"actual", "progress"}),
    "fgj": (Role.STAFF, "高新区发改局", {"investment"}),
    "czj": (Role.STAFF, "区财政局", set()),
    "leader": (Role.LEADER, "区委区政府", set()),
    "office": (Role.ADMIN, "区工信局", {"actual", "investment", "progress"}),
}
CASES = {"actual": ACTUAL, "investment": INVESTMENT, "progress": PROGRESS}
# url → the kind whose figures its API lists (None for pages, checked by their text)
URLS = {
    f"/?plan={WANGCHENG}&year=2021": None,
    f"/departments/?plan={WANGCHENG}&year=2021": None,
    f"/departments/{{kjj}}/?plan={WANGCHENG}&year=2021": None,
    f"/plans/{WANGCHENG}/indicators/26/?year=2021": None,
    f"/report/{WANGCHENG}/2021/26/history/": None,
    f"/reports/{WANGCHENG}/2021.xlsx": None,
    f"/api/v1/plans/{WANGCHENG}/indicators/?include=submitted": "actual",
    f"/api/v1/plans/{WANGCHENG}/progress/?year=2021": None,
    f"/projects/{HITECH}/14/": None,
    f"/projects/{HITECH}/dashboard/?year=2022": None,
    f"/projects/{HITECH}/14/history/2022/": None,
    f"/api/v1/plans/{HITECH}/projects/?include=submitted": "investment",
    f"/tasks/{WANGCHENG}/?year=2022": None,
    f"/tasks/{WANGCHENG}/milestones/{{milestone}}/history/2022/": None,
    f"/api/v1/plans/{WANGCHENG}/tasks/?include=submitted": "progress",
    "/review/": None,
    f"/report/{WANGCHENG}/2021/": None,
    f"/projects/{HITECH}/report/2022/": None,
    f"/tasks/{WANGCHENG}/report/2022/": None,
}


def secret(kind: str, state: str) -> str:
    return f"机密-{kind}-{state}"


def put_in_state(kind: str, state: str, office) -> object:
    """One figure of the kind in the state, its working explanation the secret."""
    case = CASES[kind]
    subject, user = case.subject(), case.reporter()
    one, _two, three = case.values
    if state == "draft":
        return case.save(subject, user, one, None, False, secret(kind, state))
    text = secret(kind, state) if state != "correction" else "公开原因"
    figure = case.save(subject, user, one, None, True, text)
    if state == "returned":
        return figure_return(kind=case.kind, pk=figure.pk, user=office, reason="请核实")
    if state == "correction":
        approved = figure_approve(kind=case.kind, pk=figure.pk, user=office)
        return case.save(subject, user, three, approved.version, True, secret(kind, state))
    return figure


def text_of(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        return "\n".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return response.content.decode()


def submitted_entries(payload: dict) -> int:
    """How many figures waiting for review an API answer lists."""
    return json.dumps(payload, ensure_ascii=False).count('"status": "submitted"')


@pytest.mark.parametrize("state", STATES)
def test_unapproved_figures_stay_with_their_department_and_the_office(client, loaded_plans, state):
    users = {name: make_user(name, role, department=d) for name, (role, d, _) in ROLES.items()}
    office = users["office"]
    figures = {kind: put_in_state(kind, state, office) for kind in CASES}
    keys = {
        "kjj": Department.objects.get(name="区科技局").pk,
        "milestone": figures["progress"].milestone_id,
    }
    answers, leaks = {}, []
    for name, (_role, _department, may_see) in ROLES.items():
        client.force_login(users[name])
        for url, api_kind in URLS.items():
            response = client.get(url.format(**keys))
            assert response.status_code in (200, 403, 404), (name, url, response.status_code)
            answers[response.status_code] = answers.get(response.status_code, 0) + 1
            if response.status_code != 200:
                continue
            body = text_of(response)
            for kind in CASES:
                if kind not in may_see and secret(kind, state) in body:
                    leaks.append((name, url, kind))
            if api_kind and api_kind not in may_see and submitted_entries(response.json()):
                leaks.append((name, url, "submitted figures"))
            if api_kind and api_kind in may_see and state in ("submitted", "correction"):
                assert submitted_entries(response.json()) >= 1, (name, url)
    assert leaks == []
    assert sum(answers.values()) == len(ROLES) * len(URLS)


@pytest.mark.parametrize("state", STATES)
def test_the_department_and_the_office_still_see_their_working_figures(client, loaded_plans, state):
    office = make_user("office", Role.ADMIN)
    figures = {kind: put_in_state(kind, state, office) for kind in CASES}
    pages = {
        "actual": f"/report/{WANGCHENG}/2021/",
        "investment": f"/projects/{HITECH}/report/2022/",
        "progress": f"/tasks/{WANGCHENG}/report/2022/",
    }
    for kind, url in pages.items():
        client.force_login(CASES[kind].reporter())
        assert secret(kind, state) in client.get(url).content.decode(), (kind, state)
    client.force_login(office)
    queue = client.get("/review/").content.decode()
    for kind in CASES:
        waiting = state in ("submitted", "correction")
        assert (secret(kind, state) in queue) == waiting, (kind, state)
    assert figures
