"""What every command that imports an Excel file into a plan shares: the file and --plan
arguments, finding the plan, the user and the file, and refusals in Chinese."""

from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from indicators.importers.workbook import MAX_FILE_BYTES, SheetInvalid, WorkbookRefused
from indicators.models import Plan, User


class PlanFileCommand(BaseCommand):
    file_help = ".xlsx 文件路径"

    def add_arguments(self, parser):
        parser.add_argument("path", help=self.file_help)
        parser.add_argument("--plan", required=True, help="规划标识，如 wangcheng-2021-2023")

    def plan(self, slug: str) -> Plan:
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            known = "、".join(Plan.objects.values_list("slug", flat=True)) or "（无）"
            raise CommandError(f"规划“{slug}”不存在。现有规划：{known}")
        return plan

    def user(self, username: str) -> User:
        user = User.objects.filter(username=username).select_related("department").first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在。")
        return user

    def file(self, name: str) -> Path:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        # Refused before it is read into memory, as the upload form refuses it.
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CommandError(f"文件大小 {size / (1024 * 1024):.1f} MB，超过 5 MB 的上限。")
        return path

    @contextmanager
    def refusals(self):
        """Turn a refused file or user into the command's error; nothing was written.

        Every refusal of a file is a WorkbookRefused or SheetInvalid (open_workbook turns
        a damaged zip, a bomb or an over-limit sheet into one), so none is a traceback.
        """
        try:
            yield
        except (PermissionDenied, WorkbookRefused) as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:  # the file went away or may not be read
            raise CommandError(f"无法读取文件：{exc.strerror or exc}") from exc
        except SheetInvalid as exc:
            raise CommandError(
                f"文件中有 {len(exc.issues)} 处错误，未导入任何数据：\n{exc}"
            ) from exc
