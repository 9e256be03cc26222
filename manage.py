#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialog_portal.settings")
    # Commands run from a checkout are development by default; production sets DEBUG=0 (with its
    # SECRET_KEY) in the environment, and the web server and workers never read this default.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
