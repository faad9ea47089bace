#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangcheng_plan.settings")
    if "SECRET_KEY" not in os.environ:
        # A developer's checkout has no key: run commands in DEBUG mode rather than refuse.
        # A production machine sets SECRET_KEY, so DEBUG stays off there (and the WSGI
        # entry point never does this).
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
