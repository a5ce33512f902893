"""`manage.py bench_monitoring`: the matrix, the dashboards and the values API at scale, and the
import throughput (issue 4). The benchmark is benchmarks/matrix.py, beside every other one; `make
bench` runs them all."""

from benchmarks.matrix import Command

__all__ = ["Command"]
