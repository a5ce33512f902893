"""Time of the full-plan spreadsheet import on the database DATABASE_URL names: export the loaded
plan, change one cell, preview (upload checks, reading, comparison with the plan), confirm
(the services, in one transaction). Prints rows, seconds and queries for each step, for XLSX and
CSV. Everything runs inside a transaction that is rolled back: the database is left as it was.

Run: .venv/bin/python benchmarks/plan_import.py             (after `make load`)
     .venv/bin/python benchmarks/plan_import.py --scale 20  (the matrix copied 20 times first)
     .venv/bin/python benchmarks/plan_import.py --every-row (every indicator's name changed)
"""

import argparse
import csv
import io
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corett.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402

from benchmarks.data import rolled_back  # noqa: E402
from corett.models import User  # noqa: E402
from corett.uploads import check_spreadsheet, read_sheets  # noqa: E402
from strategy.models import Activity, Axis, Goal, Indicator, OperationalObjective  # noqa: E402
from strategy.services import plan_items_import  # noqa: E402
from strategy.spreadsheets import export_csv, export_xlsx, plan_changes, preview, read_rows  # noqa: E402

EDITED = "Edited by the benchmark"


def scale_plan(copies: int) -> None:
    """Copies every objective's subtree `copies` times (bulk: setup, not what is measured)."""
    objectives = list(OperationalObjective.objects.all())
    activities = list(Activity.objects.all())
    goals = list(Goal.objects.all())
    indicators = list(Indicator.objects.filter(goal__isnull=False))
    top = {o.axis_id: o.number for o in objectives}
    for copy in range(1, copies):
        for objective in objectives:
            new_objective = OperationalObjective.objects.create(
                axis_id=objective.axis_id,
                number=top[objective.axis_id] + copy * 100 + objective.number,
                text_es=objective.text_es,
                text_en=objective.text_en,
            )
            for activity in (a for a in activities if a.objective_id == objective.pk):
                new_activity = Activity.objects.create(
                    objective=new_objective,
                    code=f"{activity.code}.c{copy}",
                    order=activity.order,
                    **{
                        f: getattr(activity, f)
                        for f in (
                            "text_es",
                            "text_en",
                            "responsible_es",
                            "responsible_en",
                            "timeframe_es",
                            "timeframe_en",
                        )
                    },
                )
                for goal in (g for g in goals if g.activity_id == activity.pk):
                    new_goal = Goal.objects.create(
                        activity=new_activity,
                        code=f"{goal.code}.c{copy}",
                        order=goal.order,
                        text_es=goal.text_es,
                        text_en=goal.text_en,
                    )
                    Indicator.objects.bulk_create(
                        Indicator(
                            goal=new_goal,
                            code=f"{indicator.code}.c{copy}",
                            order=indicator.order,
                            name_es=indicator.name_es,
                            name_en=indicator.name_en,
                            unit_es=indicator.unit_es,
                            unit_en=indicator.unit_en,
                            kind=indicator.kind,
                            disaggregations=indicator.disaggregations,
                            target=indicator.target,
                        )
                        for indicator in indicators
                        if indicator.goal_id == goal.pk
                    )


def edited_xlsx(content: bytes, every: bool) -> bytes:
    """One indicator's English name changed, or every indicator's with `every`."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets if every else workbook.worksheets[-1:]:
        column = next(c.column for c in sheet[1] if str(c.value).endswith("[indicator_name_en]"))
        for row in range(2, sheet.max_row + 1) if every else [sheet.max_row]:
            cell = sheet.cell(row, column)
            if cell.value:
                cell.value = f"{cell.value} {EDITED}" if every else EDITED
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def edited_csv(content: bytes, every: bool) -> bytes:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    column = next(i for i, h in enumerate(rows[0]) if h.endswith("[indicator_name_en]"))
    for row in rows[1:] if every else rows[-1:]:
        if row[column]:
            row[column] = f"{row[column]} {EDITED}" if every else EDITED
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def timed(step):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = step()
        seconds = time.perf_counter() - start
    return result, seconds, len(queries)


def run(fmt: str, user, every: bool) -> None:
    export = export_xlsx if fmt == "xlsx" else export_csv
    edit = edited_xlsx if fmt == "xlsx" else edited_csv
    content, export_s, export_q = timed(export)
    content = edit(content, every)

    def do_preview():
        spreadsheet = check_spreadsheet(SimpleUploadedFile(f"plan.{fmt}", content))
        return preview(*read_rows(read_sheets(spreadsheet)))

    result, preview_s, preview_q = timed(do_preview)
    assert result["counts"]["error"] == 0, result["counts"]
    changed = result["counts"]["changed"]
    assert changed >= 1 if every else changed == 1, result["counts"]
    rows = len(result["rows"])
    stored = len(json.dumps(result).encode())
    counts, confirm_s, confirm_q = timed(
        lambda: plan_items_import(user=user, changes=plan_changes(result["changes"]))
    )
    assert counts["update"] == changed, counts
    print(
        f"{fmt:5s} {rows:6d} {len(content) / 1024:8.0f} {export_s:8.3f} {export_q:5d} "
        f"{preview_s:8.3f} {preview_q:5d} {stored / 1024:8.0f} {confirm_s:8.3f} {confirm_q:5d}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="copies of the matrix (default 1)")
    parser.add_argument(
        "--every-row", action="store_true", help="change every indicator, not just one"
    )
    options = parser.parse_args()
    translation.activate("en")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    with rolled_back():
        if options.scale > 1:
            scale_plan(options.scale)
        user = User.objects.create_user("benchmark-import", role=User.Role.SECRETARIAT)
        print(f"axes {Axis.objects.count()}, indicators {Indicator.objects.count()}")
        print(
            f"{'file':5s} {'rows':>6s} {'KiB':>8s} {'export s':>8s} {'q':>5s} "
            f"{'preview s':>8s} {'q':>5s} {'kept KiB':>8s} {'confirm s':>8s} {'q':>5s}"
        )
        for fmt in ("xlsx", "csv"):
            with transaction.atomic():  # each format starts from the same plan
                run(fmt, user, options.every_row)
                transaction.set_rollback(True)


if __name__ == "__main__":
    main()
