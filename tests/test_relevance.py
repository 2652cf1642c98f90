"""Relevance (issue 6): realistic queries, each labelled with the section(s) that answer it.

`tests/zoekvragen.yml` holds queries as a medewerker types them (deprecated terms, typos, parts of
compounds, no diacritics) and the URL of the answer: a page (`werkkader/2-3-regie/`) counts for any
of its sections, a URL with `#anchor` only for that section. MRR@10 must stay at 0.85 or higher.
`benchmarks/search_relevance.py` runs the same queries through mkdocs-material's own search.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from buut import search
from buut.project import load_project

LABELLED = yaml.safe_load((Path(__file__).parent / "zoekvragen.yml").read_text(encoding="utf-8"))


def matches(url: str, expected: str) -> bool:
    return url == expected if "#" in expected else url.split("#", 1)[0] == expected


def reciprocal_rank(urls: list[str], expected) -> float:
    expected = [expected] if isinstance(expected, str) else expected
    for rank, url in enumerate(urls[:10], 1):
        if any(matches(url, e) for e in expected):
            return 1 / rank
    return 0.0


def test_labelled_set_is_large_and_points_at_real_sections(built_site):
    assert len(LABELLED) >= 30
    for item in LABELLED:
        answers = [item["antwoord"]] if isinstance(item["antwoord"], str) else item["antwoord"]
        for answer in answers:
            page, _, anchor = answer.partition("#")
            html = (built_site / page / "index.html").read_text(encoding="utf-8")
            assert not anchor or f'id="{anchor}"' in html, answer


def test_mrr_at_10(built_root):
    searcher = search.Searcher.open(search.index_dir(built_root, "intranet"), load_project(built_root))
    ranks = {item["vraag"]: reciprocal_rank([h.url for h in searcher.search(item["vraag"]).results], item["antwoord"])
             for item in LABELLED}
    mrr = sum(ranks.values()) / len(ranks)
    misses = {q: r for q, r in ranks.items() if r < 0.5}
    assert mrr >= 0.85, f"MRR@10 = {mrr:.3f}; zwak: {misses}"


@pytest.mark.parametrize("item", [i for i in LABELLED if i.get("soort")], ids=lambda i: i["vraag"])
def test_kind_filter_keeps_the_answer(built_root, item):
    searcher = search.Searcher.open(search.index_dir(built_root, "intranet"), load_project(built_root))
    urls = [h.url for h in searcher.search(item["vraag"], soort=item["soort"]).results]
    assert reciprocal_rank(urls, item["antwoord"]) > 0
