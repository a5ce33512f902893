"""`manage.py bench_reports`: each country's PDF report and the regional one (issue 6). The
benchmark is benchmarks/reports.py, beside every other one; `make bench` runs them all."""

from benchmarks.reports import Command

__all__ = ["Command"]
