"""What the incremental preview decides (buut/build/preview.py), and the per-process caches that make it
fast: they must give what a fresh parse gives, and nothing a caller does may reach them."""
from __future__ import annotations

import os

import pytest

from buut.build import preview
from buut.load import yamlio


def test_fingerprints_see_an_edit_an_addition_and_a_removal(repo):
    before = preview.fingerprints(repo)
    assert "werkkader/2-3-regie.md" in before and "glossary.yml" in before and "partners/wpi.yml" in before
    page = repo / "werkkader/2-3-regie.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")
    os.utime(page, ns=(before["werkkader/2-3-regie.md"][0] + 10**9,) * 2)
    (repo / "docs/nieuw.md").write_text("# Nieuw\n", encoding="utf-8")
    (repo / "teams/oost.yml").unlink()
    changes = preview.compare(before, preview.fingerprints(repo))
    assert changes.modified == ["werkkader/2-3-regie.md"]
    assert changes.added == ["docs/nieuw.md"]
    assert changes.removed == ["teams/oost.yml"]


@pytest.mark.parametrize("changes, full", [
    (preview.Changes(modified=["werkkader/2-3-regie.md"]), False),
    (preview.Changes(modified=["partners/wpi.yml", "teams/oost.yml"]), False),
    (preview.Changes(modified=["glossary.yml"]), True),
    (preview.Changes(modified=["mkdocs.yml"]), True),
    (preview.Changes(modified=["docs/stylesheets/buut.css"]), True),
    (preview.Changes(added=["docs/nieuw.md"]), True),
    (preview.Changes(removed=["partners/wpi.yml"]), True),
    (preview.Changes(), False),  # an editor's swap file: nothing BUUT reads
])
def test_what_needs_a_whole_build(changes, full):
    assert (preview.full_reason(changes) is not None) == full


def test_changed_pages_compares_signatures():
    assert preview.changed_pages({"a": 1, "b": 2}, {"a": 1, "b": 3}) == ["b"]
    assert preview.changed_pages({"a": 1}, {"a": 1}) == []
    assert preview.changed_pages({"a": 1}, {"a": 1, "b": 2}) is None


def test_parsed_yaml_is_a_copy_each_time():
    text = "naam: WPI\nlijst:\n  - een\n"
    first = yamlio.load(text, first_line=3)
    first["naam"] = "iets anders"
    first["lijst"].append("twee")
    second = yamlio.load(text, first_line=3)
    assert second == {"naam": "WPI", "lijst": ["een"]}
    assert second.line_of("lijst") == 4 and second["lijst"].line_of(0) == 5


def test_a_yaml_error_is_reported_again_with_its_line():
    text = "naam: WPI\nnaam: Ander\n"
    for _ in range(2):
        with pytest.raises(yamlio.YamlProblem) as problem:
            yamlio.load(text, first_line=10)
        assert problem.value.line == 11 and "twee keer" in problem.value.message


def test_editor_files_are_neither_read_nor_published(repo, buut):
    """vim's swap file and write test, emacs' lock link and backups next to the content."""
    (repo / "docs/werkwijze/.klachtenregeling.md.swp").write_bytes(b"b0VIM 9.0")
    (repo / "docs/werkwijze/klachtenregeling.md~").write_text("# oud\n", encoding="utf-8")
    (repo / "docs/#visie.md#").write_text("# autosave\n", encoding="utf-8")
    (repo / "partners/4913").write_text("", encoding="utf-8")
    (repo / "partners/.wpi.yml.swp").write_bytes(b"b0VIM 9.0")
    (repo / "werkkader/.#2-3-regie.md").symlink_to("redactie@machine.12345")  # emacs' lock: a dangling link
    watched = preview.fingerprints(repo)
    assert "docs/werkwijze/klachtenregeling.md" in watched
    assert not [path for path in watched if path.endswith(("swp", "~", "#", "4913", "#2-3-regie.md"))]
    result = buut("check", root=repo)
    assert result.exit_code == 0, result.output
    result = buut("build", root=repo)
    assert result.exit_code == 0, result.output
    published = {p.name for site in ("intranet", "publiek") for p in (repo / "site" / site).rglob("*")}
    assert not published & {".klachtenregeling.md.swp", "klachtenregeling.md~", "#visie.md#", "4913"}


def test_a_backup_of_a_page_is_no_page_and_a_real_stray_file_is_still_refused(repo, buut):
    (repo / "docs/werkwijze/klachtenregeling.md~").write_text("# oud\n", encoding="utf-8")
    (repo / "docs/werkwijze/script.js").write_text("alert(1)\n", encoding="utf-8")
    result = buut("check", root=repo)
    assert result.exit_code == 1
    assert "docs/werkwijze/script.js:1:1: fout:" in result.output
    assert "klachtenregeling.md~" not in result.output


def test_a_remembered_result_is_made_once_per_key_and_the_cache_stays_bounded():
    from buut.load.memo import Remembered

    made = []
    cache = Remembered(limit=2)

    def make(value):
        made.append(value)
        return value * 2

    assert [cache.get(key, lambda k=key: make(k)) for key in (1, 1, 2, 1)] == [2, 2, 4, 2]
    assert made == [1, 2]
    cache.get(3, lambda: make(3))  # full: it starts over
    cache.get(1, lambda: make(1))
    assert made == [1, 2, 3, 1]
