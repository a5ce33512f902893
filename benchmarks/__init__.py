"""Every benchmark of the portal (`make bench` runs benchmarks/run_all.py): matrix.py and reports.py
(also `manage.py bench_monitoring` and `manage.py bench_reports`), value_import.py, plan_import.py,
pages.py, and the load test in load/."""
