"""Search speed on the real content and on a synthetic corpus (run by hand; never a test).

    .venv/bin/python benchmarks/search.py [--pages 5000] [--clients 1,8] [--seconds 10]

For two indexes — the real intranet (`site/intranet`, built by `buut build`) and a synthetic corpus
of N pages (recombined from BUUT's own pages by `benchmarks/corpus.py`, seed 1) — it measures
latency p50/p95/p99 and queries per second through `GET /api/zoek` of a real `buut serve`
application (waitress, in its own process) on 127.0.0.1, with 1 and 8 concurrent clients, each
bounded in count and time, for:

- `buut`: BUUT's search as users get it (planner, begrippenlijst, ranking, answer cards), with the
  answer cache off (`BUUT_ZOEK_CACHE=0`), so every request searches;
- `buut+cache`: the same with the answer cache on (the labelled queries repeat, as popular
  questions do on an intranet);
- `whoosh-ruw`: the raw engine on the same index and the same queries: whoosh's own query parser
  (words OR-ed over title, heading and text), its BM25F, no planner and no reranking.

The queries are those of `tests/zoekvragen.yml`. It also prints MRR@10 of BUUT and of the raw
engine on the real index, and the index build time of both corpora. Figures go to stdout as a table.
"""
from __future__ import annotations

import argparse
import os
import platform
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
from buut.build.project import load_project
from buut.serve.app import SiteApp, serve
sys.path.insert(0, sys.argv[5])
from search import RawSearcher
folder, site, port, root, raw = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), sys.argv[6]
searcher = RawSearcher(folder) if raw == "1" else search.Searcher.open(folder, load_project(root))
serve(SiteApp(site, searcher), "127.0.0.1", port)
"""


class RawSearcher:
    """The raw engine behind the same API: whoosh's query parser (OR of the words) and BM25F, nothing else."""

    def __init__(self, folder: Path):
        import threading

        from whoosh import index, scoring
        from whoosh.qparser import MultifieldParser, OrGroup

        self.ix = index.open_dir(str(folder))
        self.parser = MultifieldParser(["title", "head", "body"], self.ix.schema, group=OrGroup)
        self.weighting = scoring.BM25F()
        self.local = threading.local()

    def search(self, query: str, soort=None, n: int = 10):
        from buut.search import Answer, Hit

        searcher = getattr(self.local, "searcher", None)
        if searcher is None:
            searcher = self.local.searcher = self.ix.searcher(weighting=self.weighting)
        answer = Answer(query=query)
        for hit in searcher.search(self.parser.parse(query), limit=n):
            answer.results.append(Hit(hit["page"], hit["section"], hit["url"], hit["kind"], hit["body"][:220],
                                      round(hit.score, 3)))
        return answer


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
        for number, part in enumerate(re.split(r"\n(?=## )", text)):
            heading = re.match(r"## (.+)", part)
            body = re.sub(r"[#*_|>`\[\]()!-]+", " ", part if not heading else part[heading.end():])
            anchor = "#" + re.sub(r"\W+", "-", heading.group(1).lower()).strip("-") if heading else ""
            docs.append(Doc(url + anchor, title, heading.group(1) if heading else "", " ".join(body.split()),
                            "pagina", ("medewerkers",), opening=number == 0))
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


def serve_and_load(folder: Path, site: Path, clients_list, seconds, per_client, words, cache=False, raw=False):
    port = free_port()
    env = {**os.environ, "BUUT_ZOEK_CACHE": "1024" if cache else "0"}
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(folder), str(site), str(port), str(ROOT),
                                str(ROOT / "benchmarks"), "1" if raw else "0"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/zoek?q=test", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        # Warm up: every query once, so the figures are those of a running server (the first time a
        # word is asked costs more; `Prestaties` gives both).
        load(port, 1, 120, len(words), words)
        return {c: load(port, c, seconds, per_client, words) for c in clients_list}
    finally:
        process.terminate()
        process.wait()


def mrr(searcher) -> float:
    from test_relevance import LABELLED, reciprocal_rank

    ranks = [reciprocal_rank([h.url for h in searcher.search(item["vraag"], n=10).results], item["antwoord"])
             for item in LABELLED]
    return sum(ranks) / len(ranks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--seconds", type=float, default=10.0, help="upper bound per client level")
    parser.add_argument("--per-client", type=int, default=200, help="upper bound of queries per client")
    parser.add_argument("--variants", default="buut,buut+cache,whoosh-ruw")
    args = parser.parse_args()
    clients_list = [int(c) for c in args.clients.split(",")]

    from buut import search
    from buut.build.project import load_project

    project = load_project(ROOT)
    site = ROOT / "site" / "intranet"
    if not (site / "index.html").is_file():
        sys.exit("Bouw eerst het intranet: .venv/bin/buut build")
    words = queries()
    real_docs = search.site_documents(project, "intranet", site)
    docs = corpus_docs(args.pages)
    print(f"Machine: {os.cpu_count()} cores ({platform.processor() or platform.machine()}), Python "
          f"{sys.version.split()[0]}; {len(words)} zoekvragen uit tests/zoekvragen.yml")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, corpus in (("echt", real_docs), (f"{args.pages} pagina's", docs)):
            folder = Path(tmp) / label.split()[0]
            started = time.perf_counter()
            search.write_index(corpus, folder, "whoosh", search.build_cards(project, "intranet", site))
            build = time.perf_counter() - started
            relevance = {}
            if label == "echt":
                buut = search.Searcher(folder, search.Planner(project.glossary, project.rules), cache_size=0)
                relevance = {"buut": mrr(buut), "whoosh-ruw": mrr(RawSearcher(folder))}
            for variant in args.variants.split(","):
                loads = serve_and_load(folder, site, clients_list, args.seconds, args.per_client, words,
                                       cache=variant.endswith("+cache"), raw=variant == "whoosh-ruw")
                rows.append((label, len(corpus), build, variant, relevance.get(variant), loads))

    print()
    print("| index | secties | index bouwen | variant | MRR@10 | clients | n | p50 ms | p95 ms | p99 ms | queries/s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for label, sections, build, variant, relevance, loads in rows:
        for clients, figures in loads.items():
            shown = f"{relevance:.3f}" if relevance is not None else "–"
            print(f"| {label} | {sections} | {build:.1f} s | {variant} | {shown} | {clients} | {figures['n']} "
                  f"| {figures['p50']:.1f} | {figures['p95']:.1f} | {figures['p99']:.1f} | {figures['qps']:.0f} |")


if __name__ == "__main__":
    main()
