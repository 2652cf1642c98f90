"""Does `buut serve` stay up? Concurrent searches and idle connections, on this machine only.

    python benchmarks/serve_load.py [--seconds 30] [--clients 16] [--idle 300] [--root .]

Builds nothing: it serves the site and index that `buut build` left in ROOT, on 127.0.0.1 at a
free port, with the answer cache off, and prints:

- searches: how many answers in SECONDS from CLIENTS clients with distinct queries, how many
  failed ("Zoeken lukt nu niet", a status other than 200, a broken connection), p50/p95;
- idle: with IDLE connections held open and silent, how long a new request waits for its answer
  (waitress' defaults: no answer for about two minutes).

Every loop is bounded in time and count; all traffic goes to 127.0.0.1.
"""
from __future__ import annotations

import argparse
import http.client
import itertools
import json
import socket
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from buut import search  # noqa: E402
from buut.build.project import load_project  # noqa: E402
from buut.serve.app import SiteApp, create_server  # noqa: E402

WORDS = ["schuldhulp", "pgb", "eerste gesprek", "dagbesteding", "veilig thuis", "regie", "privacy", "wmo",
         "buurtteam", "mantelzorg", "ondersteuningsplan", "huiselijk geweld", "okt", "wijkagent", "inkomen",
         "jeugd", "woonurgentie", "beschermd wonen", "casus", "toegang", "netwerk", "school", "schulden",
         "budget", "werkproces", "vraagverheldering", "maatwerk", "opvang", "vervoer", "huishouden"]


def get(port: int, path: str, timeout: float = 30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def searches(port: int, seconds: float, clients: int) -> dict:
    queries = [f"{a} {b}" for a, b in itertools.permutations(WORDS, 2)]  # 870 distinct questions
    counter = itertools.count()
    lock = threading.Lock()
    times, failures = [], []
    deadline = time.monotonic() + seconds

    def client():
        while time.monotonic() < deadline:
            query = queries[next(counter) % len(queries)]
            started = time.monotonic()
            try:
                status, body = get(port, "/api/zoek?q=" + quote(query))
                message = json.loads(body).get("message") or ""
                failed = status != 200 or message.startswith("Zoeken lukt nu niet")
            except (OSError, ValueError) as error:
                failed, status = True, type(error).__name__
            with lock:
                times.append(time.monotonic() - started)
                if failed:
                    failures.append((query, status))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(times)
    return {"answers": len(times), "failed": len(failures), "per_second": round(len(times) / seconds, 1),
            "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 1), "examples": failures[:5]}


def idle(port: int, count: int) -> dict:
    held = []
    try:
        for _ in range(count):
            held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(1)
        started = time.monotonic()
        try:
            status, _ = get(port, "/", timeout=10)
        except OSError as error:
            status = type(error).__name__
        return {"idle": count, "status": status, "seconds": round(time.monotonic() - started, 3)}
    finally:
        for connection in held:
            connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--idle", type=int, default=300)
    args = parser.parse_args()
    root = args.root.resolve()
    searcher = search.Searcher.open(search.index_dir(root, "intranet"), load_project(root))
    searcher.cache_size = 0
    server = create_server(SiteApp(root / "site" / "intranet", searcher), "127.0.0.1", 0)
    threading.Thread(target=server.run, daemon=True).start()
    port = server.effective_port
    print("searches", json.dumps(searches(port, args.seconds, args.clients)))
    print("idle", json.dumps(idle(port, args.idle)))
    server.close()


if __name__ == "__main__":
    main()
