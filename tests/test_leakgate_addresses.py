"""The leak gate finds an internal address exactly where the whole-path rule says it is.

The gate reads every text of the public site with one Aho–Corasick automaton (fast whatever the
number of internal pages). This test holds it to the rule as a regular expression states it: an
address counts at the start of a text or after one of / " ' ( = or white space, and only when no
letter, digit, %, . or - follows it.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from buut.build import leakgate

URLS = frozenset({"werkinstructies/", "werkinstructies/dagbesteding/", "intern/", "a/b/", "redactie/werklijst/"})


def reference(text: str, urls: frozenset[str]) -> bool:
    forms = sorted(leakgate.address_forms(urls), key=len, reverse=True)
    pattern = re.compile(r"(?:^|(?<=[/\"'\s(=]))(?:" + "|".join(map(re.escape, forms)) + r")(?![\w%.-])")
    return bool(pattern.search(text))


@pytest.mark.parametrize("text, found", [
    ("../werkinstructies/", True),
    ("werkinstructies/index.md", True),
    ('href="/intern/index.html"', True),
    ("zie (a/b.md)", True),
    ("werkinstructies/dagbesteding/", True),
    ("werkinstructies/huishouden/", False),
    ("nietintern/", False),
    ("intern/-x", False),
    ("intern/%20", False),
    ("a/b/ en meer", True),
    ("werkinstructies", False),
    ("", False),
])
def test_whole_addresses_only(text, found):
    assert leakgate._mentions(text, URLS) is found
    assert reference(text, URLS) is found


PIECES = st.sampled_from(["werkinstructies/", "dagbesteding/", "intern/", "index.md", "index.html", "a/", "b/",
                          "b.md", ".md", "/", " ", "\u00a0", '"', "'", "(", "=", "-", "%", ".", "x", "é", "_", "\n"])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join))
def test_same_answer_as_the_regular_expression(text):
    assert leakgate._mentions(text, URLS) == reference(text, URLS)


def test_no_internal_pages_nothing_to_find():
    assert leakgate._mentions("werkinstructies/", frozenset()) is False
    assert leakgate._mentions("werkinstructies/", frozenset({""})) is False
