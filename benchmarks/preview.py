"""Save → page changed in `mkdocs serve`: BUUT's preview against mkdocs-material alone (run by hand; not a test).

    .venv/bin/python benchmarks/preview.py [--runs 5] [--page werkkader/2-3-regie.md]

What an editor waits for: they save a page and look. The script clones this repository (its committed
state, with git history, because BUUT's preview reads it) into `benchmarks/out/preview/`, starts
`mkdocs serve` on a free port and waits for the first build. Then, `--runs` times, it appends one new
sentence to the page, starts the clock, and asks the served page every 20 ms until the sentence is in
it: the time mkdocs needs to notice the save and rebuild, which is what the browser's reload waits
for. It prints the median (and the fastest and slowest run) next to the same measurement for
mkdocs-material alone on the same Markdown (`mkdocs-plain.yml`: no BUUT plugin, macros left as text,
no generated pages). Timings depend on the machine and its load: compare the two in one run.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ROOT, plain_config  # noqa: E402

BIN = Path(sys.executable).parent
OUT = ROOT / "benchmarks" / "out" / "preview"
POLL = 0.02
TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, timeout: float = TIMEOUT, server: subprocess.Popen | None = None) -> float:
    """Seconds until the page at url contains text."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server is not None and server.poll() is not None:
            raise RuntimeError(f"mkdocs serve stopte (code {server.returncode}); zie de log in {OUT}")
        body = fetch(url)
        if body is not None and text in body:
            return time.perf_counter() - started
        time.sleep(POLL)
    raise TimeoutError(f"{url} bevat na {timeout:.0f} s nog niet '{text}'")


def prepare() -> Path:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(OUT)], check=True)
    config = (OUT / "mkdocs.yml").read_text(encoding="utf-8")
    plain_config(OUT, config)
    return OUT


def measure(repo: Path, config: str, page: Path, url_path: str, runs: int) -> list[float]:
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = (repo / f"serve-{Path(config).stem}.log").open("w", encoding="utf-8")  # a pipe nobody reads would block it
    server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-f", config, "-a", f"127.0.0.1:{port}"], cwd=repo,
                              stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/{url_path}"
    try:
        wait_for(url, "</html>", timeout=300, server=server)
        times = []
        for run in range(runs):
            time.sleep(1.5)  # let the watcher settle after the previous build
            marker = f"Meting {run + 1} van de voorvertoning, nummer {time.time_ns()}."
            with page.open("a", encoding="utf-8") as handle:
                handle.write(f"\n{marker}\n")
            times.append(wait_for(url, marker, server=server))
        return times
    finally:
        log.close()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page", default="werkkader/2-3-regie.md")
    args = parser.parse_args()
    repo = prepare()
    url_path = args.page.removeprefix("docs/").removesuffix(".md") + "/"
    plain_docs = yaml.safe_load((repo / "mkdocs-plain.yml").read_text(encoding="utf-8"))["docs_dir"]
    rows = [("BUUT (`mkdocs serve`)", measure(repo, "mkdocs.yml", repo / args.page, url_path, args.runs)),
            ("mkdocs-material alleen", measure(repo, "mkdocs-plain.yml", repo / plain_docs / args.page.removeprefix("docs/"),
                                               url_path, args.runs))]
    print(f"Opslaan → pagina veranderd, {args.page}, {args.runs} keer")
    print("| | mediaan | snelste | traagste |")
    print("|---|---|---|---|")
    for name, times in rows:
        print(f"| {name} | {statistics.median(times):.2f} s | {min(times):.2f} s | {max(times):.2f} s |")
    ratio = statistics.median(rows[0][1]) / statistics.median(rows[1][1])
    print(f"verhouding BUUT / mkdocs-material alleen: {ratio:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
