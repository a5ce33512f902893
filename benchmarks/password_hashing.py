"""CPU cost of one sign-in's password check with each hasher the production settings list
(issue 13): Argon2id (the first, used for new and rehashed passwords) and PBKDF2 (older hashes).

    .venv/bin/python benchmarks/password_hashing.py [--runs 10]

Prints milliseconds of CPU (this process) and of wall time per check, the median of the runs.
"""

import argparse
import statistics
import time

import standalone  # noqa: E402 - a sibling module: benchmarks/ is on the path

standalone.setup(DEBUG="true")

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import get_hasher  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

PASSWORD = "a-sign-in-password-of-enough-length"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    for path in settings.PASSWORD_HASHERS:
        hasher = get_hasher(import_string(path).algorithm)
        encoded = hasher.encode(PASSWORD, hasher.salt())
        cpu, wall = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            assert hasher.verify(PASSWORD, encoded)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        parameters = {
            k: v for k, v in hasher.safe_summary(encoded).items() if k not in {"salt", "hash"}
        }
        print(
            f"{hasher.algorithm:14s} CPU {statistics.median(cpu):6.1f} ms  "
            f"wall {statistics.median(wall):6.1f} ms per check  {parameters}"
        )


if __name__ == "__main__":
    main()
