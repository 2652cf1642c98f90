"""`buut check FILE` reads the glossary from a cache keyed on its content: never stale, never served,
never inside the repository (a pull request could commit one)."""
from __future__ import annotations

import json

import pytest

from conftest import copy_repo, write


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("BUUT_CACHE", str(folder))
    return folder


def test_cache_lives_outside_the_repository(tmp_path, buut, cache):
    root = copy_repo(tmp_path / "repo")
    page = write(root, "notities/a.md", "# A\n\nWe plannen een intake.\n")
    result = buut("check", str(page), root=root)
    assert result.exit_code == 1, result.output
    assert len(list(cache.glob("glossary-*.json"))) == 1
    assert not list(root.rglob("glossary-*.json"))


def test_a_cache_inside_the_repository_is_never_read(tmp_path, buut, cache, monkeypatch):
    """A committed .cache/buut/glossary-<key>.json replaced glossary.yml without validation."""
    root = copy_repo(tmp_path / "repo")
    page = write(root, "notities/a.md", "# A\n\nWe plannen een intake.\n")
    assert buut("check", str(page), root=root).exit_code == 1
    (planted,) = cache.glob("glossary-*.json")
    data = json.loads(planted.read_text(encoding="utf-8"))
    data["glossary"]["begrippen"] = []  # a glossary without rules: nothing would be flagged
    for folder in (root / ".cache" / "buut", root / ".cache"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / planted.name).write_text(json.dumps(data), encoding="utf-8")
    planted.unlink()
    for inside in (root / ".cache" / "buut", root):  # the default place, and a cache set inside the checkout
        monkeypatch.setenv("BUUT_CACHE", str(inside))
        result = buut("check", str(page), root=root)
        assert result.exit_code == 1 and "intake" in result.output, result.output


def test_a_changed_glossary_is_never_read_from_the_cache(tmp_path, buut):
    root = copy_repo(tmp_path / "repo")
    page = write(root, "notities/a.md", "# A\n\nWe plannen een intake.\n")
    assert buut("check", str(page), root=root).exit_code == 1
    glossary = root / "glossary.yml"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text.replace("            - We plannen een intake met mevrouw.\n",
                                     "            - We plannen een gesprek met mevrouw.\n"), encoding="utf-8")
    result = buut("check", str(page), root=root)
    assert result.exit_code == 2, result.output  # the broken example is reported, not hidden by the cache
    glossary.write_text(text.replace("niveau: error\n        vervang_door: [eerste gesprek]",
                                     "niveau: warning\n        vervang_door: [eerste gesprek]"), encoding="utf-8")
    result = buut("check", str(page), root=root)
    assert result.exit_code == 0 and "waarschuwing" in result.output, result.output


def test_an_unreadable_cache_is_rebuilt(tmp_path, buut, cache):
    root = copy_repo(tmp_path / "repo")
    page = write(root, "notities/a.md", "# A\n\nWe plannen een intake.\n")
    buut("check", str(page), root=root)
    for cached in cache.glob("glossary-*.json"):
        cached.write_text("{niet: json", encoding="utf-8")
    result = buut("check", str(page), root=root)
    assert result.exit_code == 1 and "intake" in result.output, result.output
