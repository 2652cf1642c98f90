"""The editors' pull-request workflow: the GitHub workflow, scripts/pr-check.sh, CODEOWNERS and pre-commit.

The script is run for real, in a throwaway git repository with BUUT's content: a branch that adds
a forbidden term must get a GitHub annotation on the right line and exit 1.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

PR_CHECK = ROOT / "scripts" / "pr-check.sh"
WORKFLOW = ROOT / ".github" / "workflows" / "pull-request.yml"
CONTENT_PATHS = ("werkkader/", "werkinstructies/", "partners/", "glossary.yml", "docs/", "publiek/")
CODE_PATHS = ("buut/", "tests/", "scripts/", "benchmarks/", ".github/", "pyproject.toml", "mkdocs*.yml")
PAGE = "werkkader/2-3-regie.md"
# A git that ignores the machine's own settings (signing, hooks, default branch).
GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV},
                            capture_output=True, text=True)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


@pytest.fixture
def pr(repo):
    """The `repo` copy as a git repository: `main` committed, and a branch `voorstel` checked out."""
    git(repo, "init", "-q")
    git(repo, "checkout", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "basis")
    git(repo, "checkout", "-q", "-b", "voorstel")
    return repo


def commit(repo: Path, relative: str, text: str) -> None:
    path = repo / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(repo, "add", relative)
    git(repo, "commit", "-q", "-m", f"wijzig {relative}")


def run_pr_check(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """bash scripts/pr-check.sh, run from the test repository, with the buut of this Python."""
    env = {**os.environ, "BUUT": str(Path(sys.executable).parent / "buut"), "PYTHONPATH": str(ROOT)}
    return subprocess.run(["bash", str(PR_CHECK), *args], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=120)


def add_line_after(text: str, anchor: str, line: str) -> tuple[str, int]:
    """Insert a paragraph after the line starting with anchor; return the text and its line number."""
    lines = text.splitlines()
    index = next(i for i, existing in enumerate(lines) if existing.startswith(anchor))
    lines[index + 1:index + 1] = ["", line]
    return "\n".join(lines) + "\n", index + 3


# --- the workflow ---------------------------------------------------------------------------

def workflow_steps() -> tuple[dict, list[dict]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    return workflow, job["steps"]


def step_index(steps: list[dict], needle: str) -> int:
    found = [i for i, step in enumerate(steps) if needle in step.get("run", "")]
    assert len(found) == 1, f"{needle!r} in {len(found)} stappen van {WORKFLOW.name}"
    return found[0]


def test_workflow_runs_on_pull_requests():
    workflow, _ = workflow_steps()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers


def test_workflow_checks_out_history_and_installs_python_311():
    _, steps = workflow_steps()
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(python["with"]["python-version"]) == "3.11"
    install = step_index(steps, "pip install")
    assert "python -m pip install -e '.[test]'" in steps[install]["run"]
    assert install < step_index(steps, "scripts/pr-check.sh")


def test_workflow_checks_changed_content_then_builds_then_tests():
    _, steps = workflow_steps()
    check, build, tests = (step_index(steps, s) for s in ("scripts/pr-check.sh", "buut build", "scripts/test.sh"))
    assert check < build < tests
    assert "github.base_ref" in str(steps[check])
    assert "origin/" in steps[check]["run"]


# --- scripts/pr-check.sh --------------------------------------------------------------------

def test_forbidden_term_gets_an_annotation_on_its_line(pr):
    text, line = add_line_after((pr / PAGE).read_text(encoding="utf-8"), "Bij regie onderscheidt",
                                "Na de intake bepaalt het buurtteam wie de regie voert.")
    commit(pr, PAGE, text)

    result = run_pr_check(pr, "main")

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"::error file={PAGE},line={line},col=7," in result.stdout, result.stdout + result.stderr
    assert '"eerste gesprek"' in result.stdout
    assert result.stdout.count("::error") == 1, result.stdout


def test_text_format_for_editors(pr):
    text, line = add_line_after((pr / PAGE).read_text(encoding="utf-8"), "Bij regie onderscheidt",
                                "Na de intake bepaalt het buurtteam wie de regie voert.")
    commit(pr, PAGE, text)

    result = run_pr_check(pr, "--format", "text", "main")

    assert result.returncode == 1, result.stderr
    assert f"{PAGE}:{line}:7: fout:" in result.stdout


def test_without_changes_the_check_passes(pr):
    result = run_pr_check(pr, "main")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "geen gewijzigde inhoud" in result.stderr


def test_changes_outside_the_content_are_not_checked(pr):
    commit(pr, "notities.md", "We doen een intake.\n")  # not content: no annotation, no failure
    result = run_pr_check(pr, "main")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_a_clean_content_change_passes(pr):
    text, _ = add_line_after((pr / PAGE).read_text(encoding="utf-8"), "Bij regie onderscheidt",
                             "Na het eerste gesprek bepaalt het buurtteam wie de regie voert.")
    commit(pr, PAGE, text)
    result = run_pr_check(pr, "main")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::error" not in result.stdout
    assert "1 gewijzigd(e) bestand(en)" in result.stderr


def test_only_the_branch_changes_count_when_main_moved_on(pr):
    text, _ = add_line_after((pr / PAGE).read_text(encoding="utf-8"), "Bij regie onderscheidt",
                             "Na het eerste gesprek bepaalt het buurtteam wie de regie voert.")
    commit(pr, PAGE, text)
    git(pr, "checkout", "-q", "main")
    commit(pr, "docs/visie.md", (pr / "docs/visie.md").read_text(encoding="utf-8") + "\nNieuw op main.\n")
    git(pr, "checkout", "-q", "voorstel")

    result = run_pr_check(pr, "main")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 gewijzigd(e) bestand(en)" in result.stderr  # not docs/visie.md, which only main changed


def test_a_glossary_change_checks_all_content(pr):
    # A page with the term is already on main; only the glossary changes in the pull request.
    commit(pr, PAGE, (pr / PAGE).read_text(encoding="utf-8") + "\nNa de intake volgt een plan.\n")
    git(pr, "branch", "-f", "main", "HEAD")
    commit(pr, "glossary.yml", (pr / "glossary.yml").read_text(encoding="utf-8") + "\n# aangepast\n")

    result = run_pr_check(pr, "main")

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"::error file={PAGE}," in result.stdout
    assert "alle inhoud" in result.stderr


def test_an_unknown_base_is_an_error_not_a_pass(pr):
    result = run_pr_check(pr, "origin/bestaat-niet")
    assert result.returncode == 2
    assert "onbekende basis" in result.stderr


def test_root_option_and_default_base(pr, tmp_path):
    result = run_pr_check(tmp_path, "--root", str(pr / "werkkader"))  # default base: origin/main
    assert result.returncode == 2
    assert "origin/main" in result.stderr


# --- CODEOWNERS -----------------------------------------------------------------------------

def codeowners() -> dict[str, list[str]]:
    rules = {}
    for line in (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *owners = line.split()
            rules[pattern.lstrip("/")] = owners
    return rules


@pytest.mark.parametrize("path", CONTENT_PATHS)
def test_codeowners_has_an_editorial_team_for_each_content_folder(path):
    owners = codeowners().get(path)
    assert owners, f"{path} heeft geen eigenaar in .github/CODEOWNERS"
    assert all(re.fullmatch(r"@buut/redactie-[a-z-]+", owner) for owner in owners), owners


@pytest.mark.parametrize("path", CODE_PATHS)
def test_codeowners_gives_the_code_to_the_developers(path):
    assert codeowners().get(path) == ["@buut/ontwikkelaars"]


def test_codeowners_says_the_teams_are_placeholders():
    header = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").split("\n\n")[0]
    assert "plaatshouders" in header


# --- pre-commit -----------------------------------------------------------------------------

def test_pre_commit_runs_buut_check_on_staged_content():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (local,) = [r for r in config["repos"] if r["repo"] == "local"]
    hook = next(h for h in local["hooks"] if h["pass_filenames"] is True)
    assert hook["entry"] in (".venv/bin/buut check", "buut check")
    assert hook["language"] == "system"
    assert set(hook["types_or"]) == {"markdown", "yaml"}
    files = re.compile(hook["files"])
    for path in ("werkkader/2-3-regie.md", "werkinstructies/dagbesteding.md", "docs/visie.md",
                 "publiek/index.md", "partners/wpi.yml"):
        assert files.search(path), path
    for path in ("README.md", "buut/cli.py", "tests/zoekvragen.yml", "mkdocs.yml"):
        assert not files.search(path), path


def test_pre_commit_checks_all_content_when_the_glossary_changes():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [h for r in config["repos"] for h in r["hooks"]]
    glossary = [h for h in hooks if re.search(h["files"], "glossary.yml")]
    assert glossary and all(h["pass_filenames"] is False and h["entry"].endswith("buut check")
                            for h in glossary)


# --- the editors' documentation --------------------------------------------------------------

def test_contributing_passes_its_own_check(buut):
    result = buut("check", "--min-level", "suggestion", str(ROOT / "CONTRIBUTING.md"), root=ROOT)
    assert result.exit_code == 0, result.output


def test_contributing_and_template_are_linked():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "CONTRIBUTING.md" in readme
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    for item in ("Bron vermeld", "Eigen woorden", "Begrippenlijst", "mkdocs serve", "Zichtbaarheid",
                 "persoonsgegevens", "herzien_voor"):
        assert item in template, item
