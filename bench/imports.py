"""`make bench-imports`: how long the plan office's large imports take on the command line.

Steps, each timed as the plan office would run it (a fresh `manage.py` process, startup
included): a fresh bench database (the one `make bench` uses: SQLite in var/bench/, or
`wangcheng_plan_bench` beside DATABASE_URL), migrate and load_plans untimed; then

1. `create_plan` of an empty 2021–2023 plan and `import_responsibility_sheet` of a
   5,000-row sheet into it (DESIGN.md §9: under 5 s); the same sheet into a second plan
   through the web pages, upload, preview and confirm (the issue's budget: under 10 s);
2. `import_actuals --approve` of 1,000 figures of its 2021 column, in the app's own
   template as the 管理员 downloads it (the issue's budget: under 3 s).

Prints the seconds and writes var/bench/imports.json. Only the standard library here; the
sheets are written by a `manage.py shell` step with the project's own code.
"""

import json
import secrets
import subprocess
import sys
import time
from pathlib import Path

if not __package__:  # run as `python bench/imports.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import (
    OUT,
    ROOT,
    BenchError,
    bench_env,
    fresh_database,
    log,
    manage,
    static_up_to_date,
)

PLAN = "bench-imports"
SHEET_ROWS = 5000
ACTUAL_ROWS = 1000
YEAR = 2021
ADMIN = "bench-import-admin"

# Run in `manage.py shell`: the sheets, written by the project's own builders.
WRITE_SHEETS = """
from bench.sheets import large_sheet
(OUT / "sheet.xlsx").write_bytes(large_sheet(SHEET_ROWS))
"""
WRITE_ACTUALS = """
import io, openpyxl
from indicators.actual_import import actual_template
from indicators.models import Plan, User
plan = Plan.objects.get(slug=PLAN)
_name, content = actual_template(plan=plan, year=YEAR, user=User.objects.get(username=ADMIN))
book = openpyxl.load_workbook(io.BytesIO(content))
sheet = book.active
header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "序号")
value_column = next(
    c for c in range(1, sheet.max_column + 1)
    if str(sheet.cell(header, c).value or "").endswith("年实际值")
)
explanation_column = next(
    c for c in range(1, sheet.max_column + 1)
    if str(sheet.cell(header, c).value or "").startswith("说明")
)
filled = 0
for row in range(header + 1, sheet.max_row + 1):
    number = sheet.cell(row, 1).value
    # The generated plan's shares (every 7th) have targets above 100%: left blank.
    if filled < ACTUAL_ROWS and isinstance(number, int) and number % 7:
        sheet.cell(row, value_column).value = number + 1  # its 2021 target, met
        sheet.cell(row, explanation_column).value = "按统计快报数填报"
        filled += 1
assert filled == ACTUAL_ROWS, filled
book.save(OUT / "actuals.xlsx")
"""


# Run in `manage.py shell`: the same 5,000 rows into a second empty plan through the web
# pages (upload, preview, confirm) with Django's test client, timed in the process.
WEB_IMPORT = """
import time
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from indicators.models import User
call_command(
    "create_plan", PLAN + "-web", name="导入基准规划（网页）", short_name="导入基准网页",
    base_year=2020, first_year=2021, last_year=2023, stdout=open("/dev/null", "w"),
)
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(username=ADMIN))
content = (OUT / "sheet.xlsx").read_bytes()
start = time.perf_counter()
upload = client.post(
    f"/plans/{PLAN}-web/import/", {"file": SimpleUploadedFile("责任分解表.xlsx", content)}
)
assert upload.status_code == 302, upload.content[:2000]
uploaded = time.perf_counter()
assert client.get(upload.url).status_code == 200
previewed = time.perf_counter()
confirm = client.post(upload.url + "confirm/", {"accept_risks": "on"})
assert confirm.status_code == 302, confirm.content[:2000]
done = time.perf_counter()
(OUT / "web-import.json").write_text(json.dumps({
    "upload_s": uploaded - start, "preview_s": previewed - uploaded, "confirm_s": done - previewed,
}))
"""


def shell(code: str, env: dict) -> None:
    constants = (
        f"from pathlib import Path\nOUT = Path({str(OUT)!r})\nPLAN = {PLAN!r}\n"
        f"SHEET_ROWS = {SHEET_ROWS}\nACTUAL_ROWS = {ACTUAL_ROWS}\n"
        f"YEAR = {YEAR}\nADMIN = {ADMIN!r}\n"
    )
    subprocess.run(
        manage("shell", "-v0", "-c", constants + code), env=env, cwd=ROOT, check=True
    )


def timed(title: str, args: list[str], env: dict) -> float:
    start = time.perf_counter()
    result = subprocess.run(manage(*args), env=env, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise BenchError(f"{title} failed:\n{result.stdout}\n{result.stderr}")
    log(f"{title}: {seconds:.1f} s")
    return seconds


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    url, engine = fresh_database()
    env = bench_env(url, "none", "")
    steps = [["migrate", "--noinput", "-v0"], ["load_plans"]]
    if not static_up_to_date():  # the web pages of step 1 need the collected static files
        steps.append(["collectstatic", "--noinput", "-v0"])
    for step in steps:
        subprocess.run(manage(*step), env=env, cwd=ROOT, check=True, capture_output=True)
    password = secrets.token_urlsafe(16)
    subprocess.run(
        manage("add_user", ADMIN, "--department", "区工信局", "--role", "管理员",
               f"--password={password}"),  # one argument: a password may begin with "-"
        env=env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    shell(WRITE_SHEETS, env)
    create = [
        "create_plan", PLAN, "--name", "导入基准规划（2021-2023年）", "--short-name", "导入基准",
        "--base-year", "2020", "--first-year", "2021", "--last-year", "2023",
    ]  # fmt: skip
    results = {"database": engine, "sheet_rows": SHEET_ROWS, "actual_rows": ACTUAL_ROWS}
    results["create_plan_s"] = timed("create_plan", create, env)
    # --force: the generated sheet keeps the 望城 title of the fixture it is made from,
    # which the import rightly flags as a risk for a plan of another name.
    sheet = ["import_responsibility_sheet", str(OUT / "sheet.xlsx"), "--plan", PLAN, "--force"]
    title = f"import_responsibility_sheet ({SHEET_ROWS} rows)"
    results["sheet_import_s"] = timed(title, sheet, env)
    shell("import json\n" + WEB_IMPORT, env)
    web = json.loads((OUT / "web-import.json").read_text())
    results |= {f"web_{key}": value for key, value in web.items()}
    results["web_import_s"] = sum(web.values())
    log(f"the same sheet on the web (upload, preview, confirm): {results['web_import_s']:.1f} s")
    shell(WRITE_ACTUALS, env)
    actuals = [
        "import_actuals", str(OUT / "actuals.xlsx"), "--plan", PLAN, "--user", ADMIN,
        "--year", str(YEAR), "--approve",
    ]  # fmt: skip
    results["actuals_import_s"] = timed(f"import_actuals --approve ({ACTUAL_ROWS})", actuals, env)
    (OUT / "imports.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(1)
