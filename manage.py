#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangcheng_plan.settings")
    # DEBUG comes from the environment only, as for the WSGI entry point: a shell without
    # SECRET_KEY and without DEBUG=1 is refused by the settings (ImproperlyConfigured),
    # never run in DEBUG mode. A development checkout uses `make run`, which sets DEBUG=1.
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
