#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from kehoach.audit.context import set_default_source

    # Changes made by management commands are audited as such; requests override this.
    set_default_source("command")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
