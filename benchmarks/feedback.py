"""Feedback store speed (run by hand; never a test).

    .venv/bin/python benchmarks/feedback.py [--writers 1,8] [--count 500] [--postgres URL]

Writes `count` reports per writer thread straight into the store (as the API does after its
checks), on SQLite (a fresh file, WAL) and, when a URL is given or Debian's PostgreSQL is installed,
on a throw-away PostgreSQL server; then reads the worklist queries once. Prints writes per second,
p50/p95 per write in ms and the time of the worklist queries. Every write opens its own connection,
as `buut serve` does.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from buut.serve.store import open_store  # noqa: E402


def run(url: str, writers: int, count: int) -> tuple[float, float, float, float]:
    store = open_store(url)

    def write(number: int) -> list[float]:
        mine = []
        for i in range(count):
            started = time.perf_counter()
            store.record_feedback(f"werkkader/pagina-{i % 50}/", f"redactie-{i % 5}", "melding", f"melding {number}-{i}")
            mine.append(time.perf_counter() - started)
        return mine

    started = time.perf_counter()
    with ThreadPoolExecutor(writers) as pool:
        times = [t for mine in pool.map(write, range(writers)) for t in mine]
    total = time.perf_counter() - started
    query = time.perf_counter()
    store.reports("redactie-1"), store.ratings(), store.failed_searches()
    query = time.perf_counter() - query
    times.sort()
    return len(times) / total, statistics.median(times) * 1000, times[int(len(times) * 0.95)] * 1000, query * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writers", default="1,8")
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL URL (default: start a throw-away server)")
    args = parser.parse_args()
    backends = {"sqlite": lambda: "sqlite:///" + str(Path(tempfile.mkdtemp()) / "buut.sqlite3")}
    server = None
    if args.postgres:
        backends["postgresql"] = lambda: args.postgres
    else:
        import postgres  # tests/postgres.py: the same throw-away server the tests use

        server = postgres.throwaway_server()
        url = server.__enter__()
        backends["postgresql"] = lambda: postgres.fresh_schema(url)
    print(f"{'database':<11} {'schrijvers':>10} {'schrijf/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'werklijst ms':>13}")
    try:
        for name, make in backends.items():
            for writers in (int(w) for w in args.writers.split(",")):
                rate, p50, p95, query = run(make(), writers, args.count)
                print(f"{name:<11} {writers:>10} {rate:>10.0f} {p50:>8.2f} {p95:>8.2f} {query:>13.1f}")
    finally:
        if server is not None:
            server.__exit__(None, None, None)


if __name__ == "__main__":
    main()
