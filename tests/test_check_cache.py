"""`buut check FILE` reads the glossary from a cache keyed on its content: never stale, never served."""
from __future__ import annotations

from conftest import ROOT, copy_repo, write


def test_cache_lives_outside_the_served_folders_and_git(tmp_path, buut):
    root = copy_repo(tmp_path / "repo")
    page = write(root, "notities/a.md", "# A\n\nWe plannen een intake.\n")
    result = buut("check", str(page), root=root)
    assert result.exit_code == 1, result.output
    cached = list((root / ".cache" / "buut").glob("glossary-*.json"))
    assert len(cached) == 1
    assert "/.cache/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split("\n")
    for served in ("docs", "publiek"):
        assert not list((root / served).rglob("glossary-*.json"))


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


def test_an_unreadable_cache_is_rebuilt(tmp_path, buut):
    root = copy_repo(tmp_path / "repo")
    page = write(root, "notities/a.md", "# A\n\nWe plannen een intake.\n")
    buut("check", str(page), root=root)
    for cached in (root / ".cache" / "buut").glob("glossary-*.json"):
        cached.write_text("{niet: json", encoding="utf-8")
    result = buut("check", str(page), root=root)
    assert result.exit_code == 1 and "intake" in result.output, result.output
