#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiqing_credit.settings.base")
    # Lets command-line work run without DJANGO_SECRET_KEY (see settings); never set for
    # the web server or Celery.
    os.environ.setdefault("XIQING_COMMAND_LINE", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
