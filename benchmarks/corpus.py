"""Generate a synthetic BUUT corpus of N pages from BUUT's own pages (run by hand).

    .venv/bin/python benchmarks/corpus.py --pages 5000 --out benchmarks/out/corpus-5000 [--seed 1]

Each page takes the front matter shape of a real page and a body recombined from the sections of
BUUT's own pages (headings, lists, tables, admonitions, links), so the glossary terms occur in the
forms editors really write. A few sentences with discouraged terms in varied forms are mixed in,
so the check has something to find. Deterministic for a given seed.
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANTED = [
    "Na de intake volgt een gesprek met de regievoerder.",
    "De medewerker verwijst mevrouw door naar de huisarts.",
    "Er waren drie intakegesprekken deze week.",
    "De ondersteuning is afgeschaald na het evaluatiegesprek.",
    "Hij is geïndiceerd voor dagbesteding.",
    "Het buurteam in de wijk is goed bereikbaar.",
]


def sections() -> list[str]:
    found = []
    for path in sorted([*ROOT.glob("werkkader/*.md"), *ROOT.glob("docs/*.md")]):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        body = re.sub(r"\{\{.*?\}\}", "", body)  # macros belong to their own page
        # links would point nowhere from the corpus folder: each points to the home page instead
        # (docs/corpus/map-NNN/ -> docs/index.md), so a sentence that refers to BUUT stays linked
        body = re.sub(r"\]\((?!http)[^)]*\)", "](../../index.md)", body)
        found += [part.strip() for part in re.split(r"\n(?=## )", body) if part.strip().startswith("## ")]
    return found


def generate(pages: int, out: Path, seed: int = 1, planted: bool = True) -> Path:
    rng = random.Random(seed)
    parts = sections()
    if out.exists():
        shutil.rmtree(out)
    for number in range(pages):
        folder = out / f"map-{number // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        chosen = rng.sample(parts, k=min(len(parts), rng.randint(2, 5)))
        body = "\n\n".join(chosen)
        if rng.random() < 0.3 and planted:
            body += "\n\n" + rng.choice(PLANTED) + "\n"
        doelgroep = rng.choice(["medewerkers"] * 8 + ["partners", "amsterdammers"])
        (folder / f"pagina-{number:05d}.md").write_text(
            f"---\ntitel: \"Pagina {number}\"\neigenaar: redactie-test\ndoelgroep: {doelgroep}\n---\n\n"
            f"# Pagina {number}\n\n{body}\n", encoding="utf-8")
    return out


REPO_FILES = ("glossary.yml", "docs", "publiek", "werkkader", "werkinstructies", "partners", "teams")


def generate_repo(pages: int, partners: int, out: Path, seed: int = 1) -> Path:
    """A whole BUUT repository: BUUT's own content and configuration (without the hand-made nav),
    plus N clean pages in docs/corpus/ and M partners recombined from the real ones. `buut build --root OUT` builds it;
    `mkdocs-plain.yml` builds the same Markdown with mkdocs-material alone."""
    import yaml

    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    for name in REPO_FILES:
        source, target = ROOT / name, out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    generate(pages, out / "docs" / "corpus", seed, planted=False)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?ms)^nav:.*?(?=^\S)", "", config)  # mkdocs makes the nav from the folders
    (out / "mkdocs.yml").write_text(config, encoding="utf-8")
    public = (ROOT / "mkdocs.publiek.yml").read_text(encoding="utf-8")
    (out / "mkdocs.publiek.yml").write_text(re.sub(r"(?ms)^nav:.*?(?=^\S|\Z)", "", public), encoding="utf-8")
    sources = sorted((ROOT / "partners").glob("*.yml"))
    for number in range(partners):
        data = yaml.safe_load(rng.choice(sources).read_text(encoding="utf-8"))
        data["naam"] = f"{data['naam']} {number}"
        (out / "partners" / f"partner-{number:05d}.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    plain_config(out, config)
    return out


def plain_config(out: Path, config: str) -> None:
    """`mkdocs-plain.yml` in out: the same Markdown built by mkdocs-material alone, without BUUT."""
    import yaml

    config = re.sub(r"!ENV \[\w+, null\]", "null", config)
    config = re.sub(r"(?m)^\s+emoji_\w+: !!python/name:\S+\n", "", config)  # the theme's icons: not needed here
    config = re.sub(r"(?m)^(\s+- pymdownx\.emoji):.*$", r"\1", config)
    plain = yaml.safe_load(config)
    plain["plugins"] = [{"search": {"lang": "nl", "pipeline": ["stemmer", "stopWordFilter", "trimmer"]}}]
    plain["site_dir"] = "site/plain"
    plain["docs_dir"] = "plain-docs"
    plain["strict"] = False
    # The same Markdown without BUUT: the pages of docs/, werkkader/ and werkinstructies/ in one
    # folder (macros stay unrendered text; partner pages exist only through BUUT).
    shutil.copytree(out / "docs", out / "plain-docs")
    for folder in ("werkkader", "werkinstructies"):
        shutil.copytree(out / folder, out / "plain-docs" / folder, ignore=shutil.ignore_patterns("*.yml"))
    (out / "mkdocs-plain.yml").write_text(yaml.safe_dump(plain, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    out = args.out or ROOT / "benchmarks" / "out" / f"corpus-{args.pages}"
    generate(args.pages, out, args.seed)
    size = sum(p.stat().st_size for p in out.rglob("*.md"))
    print(f"{args.pages} pagina's, {size / 1e6:.1f} MB in {out}")


if __name__ == "__main__":
    main()
