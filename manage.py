#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corett.settings")
    # The command line is a developer's tool: development mode unless DEBUG says otherwise.
    # Servers (wsgi.py, Celery) get no such default: there DEBUG is off unless set.
    os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
