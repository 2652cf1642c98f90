"""Search speed and engine comparison (run by hand; never a test).

    .venv/bin/pip install -e '.[bench]'          # tantivy, for the comparison
    .venv/bin/python benchmarks/search.py [--pages 5000] [--clients 1,8,32] [--seconds 10]

For each engine (whoosh, BUUT's; tantivy, the alternative) behind BUUT's own search interface:

1. index build time for a synthetic corpus of N pages (recombined from BUUT's own pages, seed 1);
2. latency p50/p95/p99 and queries per second through `GET /api/zoek` of a real `buut serve`
   application (waitress, in its own process) on 127.0.0.1, with 1, 8 and 32 concurrent clients,
   each bounded in count and time;
3. MRR@10 on the labelled queries of `tests/zoekvragen.yml`, on an index of the real site.

The server runs with BUUT's answer cache off (`BUUT_ZOEK_CACHE=0`), so every request searches;
the row `whoosh+cache` shows the same load with the cache on (the labelled queries repeat, as
popular questions do on an intranet).

It also prints the size of mkdocs-material's `search_index.json` that a browser downloads for the
built intranet, next to the bytes one API answer costs. Figures go to stdout as a table.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

SERVER = r"""
import sys
from pathlib import Path
from buut import search
from buut.project import load_project
from buut.serve import SiteApp, serve
folder, site, port = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
searcher = search.Searcher.open(folder, load_project(Path(sys.argv[4])))
serve(SiteApp(site, searcher), "127.0.0.1", port)
"""


def corpus_docs(pages: int):
    """Sections of a synthetic corpus, as the index would get them from rendered pages."""
    import re

    from corpus import generate

    from buut.search.documents import Doc

    out = ROOT / "benchmarks" / "out" / f"zoek-corpus-{pages}"
    generate(pages, out, seed=1)
    docs = []
    for path in sorted(out.rglob("*.md")):
        text = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        title = re.search(r"^# (.+)$", text, re.M).group(1)
        url = path.relative_to(out).with_suffix("").as_posix() + "/"
        for part in re.split(r"\n(?=## )", text):
            heading = re.match(r"## (.+)", part)
            body = re.sub(r"[#*_|>`\[\]()!-]+", " ", part if not heading else part[heading.end():])
            anchor = "#" + re.sub(r"\W+", "-", heading.group(1).lower()).strip("-") if heading else ""
            docs.append(Doc(url + anchor, title, heading.group(1) if heading else "", " ".join(body.split()),
                            "pagina", ("medewerkers",)))
    return docs


def queries() -> list[str]:
    import yaml

    data = yaml.safe_load((ROOT / "tests" / "zoekvragen.yml").read_text(encoding="utf-8"))
    return [item["vraag"] for item in data]


def load(port: int, clients: int, seconds: float, per_client: int, words: list[str]):
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(number: int):
        mine = []
        for i in range(per_client):
            if time.perf_counter() > stop:
                break
            q = urllib.parse.quote(words[(number * 7 + i) % len(words)])
            started = time.perf_counter()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/zoek?q={q}", timeout=30) as response:
                response.read()
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return {"n": len(latencies), "p50": pct(50), "p95": pct(95), "p99": pct(99), "qps": len(latencies) / elapsed}


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_and_load(folder: Path, site: Path, clients_list, seconds, per_client, words, cache: bool = False):
    port = free_port()
    env = {**os.environ, "BUUT_ZOEK_CACHE": "1024" if cache else "0"}
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(folder), str(site), str(port), str(ROOT)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/zoek?q=test", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        load(port, 2, 2, 20, words)  # warm up
        return {c: load(port, c, seconds, per_client, words) for c in clients_list}
    finally:
        process.terminate()
        process.wait()


def mrr(folder: Path, project) -> float:
    from test_relevance import LABELLED, reciprocal_rank

    from buut import search

    searcher = search.Searcher(folder, search.Planner(project.glossary, project.rules), cache_size=0)
    ranks = [reciprocal_rank([h.url for h in searcher.search(item["vraag"], n=10).results], item["antwoord"])
             for item in LABELLED]
    return sum(ranks) / len(ranks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--seconds", type=float, default=10.0, help="upper bound per client level")
    parser.add_argument("--per-client", type=int, default=200, help="upper bound of queries per client")
    parser.add_argument("--engines", default="whoosh,tantivy,whoosh+cache",
                        help="engines; '+cache' keeps BUUT's answer cache on (the others run without it)")
    args = parser.parse_args()
    clients_list = [int(c) for c in args.clients.split(",")]

    from buut import search
    from buut.project import load_project

    project = load_project(ROOT)
    site = ROOT / "site" / "intranet"
    if not (site / "index.html").is_file():
        sys.exit("Bouw eerst het intranet: .venv/bin/buut build")
    words = queries()
    docs = corpus_docs(args.pages)
    real_docs = search.site_documents(project, "intranet", site)
    print(f"Corpus: {args.pages} pagina's, {len(docs)} secties; machine: {os.cpu_count()} cores, "
          f"Python {sys.version.split()[0]}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        built: dict[str, tuple[Path, float, float]] = {}
        for label in args.engines.split(","):
            name, _, cached = label.partition("+")
            if name not in built:
                folder = Path(tmp) / f"{name}-corpus"
                started = time.perf_counter()
                search.write_index(docs, folder, name)
                build = time.perf_counter() - started
                real = Path(tmp) / f"{name}-echt"
                search.write_index(real_docs, real, name)
                built[name] = (folder, build, mrr(real, project))
            folder, build, relevance = built[name]
            loads = serve_and_load(folder, site, clients_list, args.seconds, args.per_client, words, bool(cached))
            rows.append((label, build, relevance, loads))

    print()
    print("| engine | index bouwen | MRR@10 | clients | n | p50 ms | p95 ms | p99 ms | queries/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, build, relevance, loads in rows:
        for clients, figures in loads.items():
            print(f"| {name} | {build:.1f} s | {relevance:.3f} | {clients} | {figures['n']} | {figures['p50']:.1f} "
                  f"| {figures['p95']:.1f} | {figures['p99']:.1f} | {figures['qps']:.0f} |")
    index_json = site / "search" / "search_index.json"
    answer = urllib.parse.quote("pgb aanvragen")
    one = len(json.dumps(search.Searcher.open(search.index_dir(ROOT, "intranet"), project)
                         .search(urllib.parse.unquote(answer)).to_dict(), ensure_ascii=False).encode())
    print()
    print(f"mkdocs-material search_index.json (echte intranet, {len(real_docs)} secties): "
          f"{index_json.stat().st_size / 1024:.0f} KiB per browser; één API-antwoord: {one / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
