"""The whole content of a BUUT repository, loaded and validated: what every later stage starts from.

`validate_project` runs the load and validate stages: pages and their front matter, the glossary
(with its examples), the generated pages, and the terminology check over all of them. It never
stops at the first problem; a glossary that cannot be used is the one exception (BuutError,
exit 2), because without it nothing can be checked.
"""
from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

from buut.check.glossary import load_glossary
from buut.check.privacy import check_privacy, contact_spans
from buut.check.project import CONFIG_FILE, PARTNERS_DIR, Project, find_root, peildatum  # noqa: F401 (for the CLI)
from buut.check.terminology import RuleSet, check_page, check_partner, compile_rules
from buut.load import yamlio
from buut.load.content import CONTENT_DIRS, load_content, page_uri, parse_page, read_text
from buut.load.memo import Remembered
from buut.model import BuutError, Finding, Glossary, Level, Page

# render, validate, partners and search are imported where they are used: `buut check` on one page
# needs none of them, and importing them would cost it a good part of its time.


def glossary_of(root: Path) -> Glossary:
    """glossary.yml, proven: its rules against their own examples (check), and every synonym and
    abbreviation against what search makes of it (search owns what a synonym does to a query)."""
    return load_glossary(root / "glossary.yml", proofs=(_search_words,))


def _search_words(glossary: Glossary, rules: RuleSet) -> list[Finding]:
    # search is imported only when the glossary is proven anew, not when it comes from the cache:
    # `buut check` on one page stays quick
    from buut.search.query import verify_search_words

    return verify_search_words(glossary, rules)


def load_project(root: Path) -> Project:
    """Load stage: content, glossary and generated pages. BuutError if the glossary is unusable."""
    from buut import render
    from buut.load.partners import load_partners
    from buut.load.wijzigingen import load_versies
    from buut.load.teams import load_teams

    root = root.resolve()  # one spelling of the root, so the mkdocs plugin recognises the project
    if (root / "glossary.yml").is_symlink():  # read nothing a link points at (buut/load/policy.py)
        raise BuutError(Finding("glossary.yml", 1, 1, Level.ERROR, "glossary.yml is een symbolische koppeling "
                                "(symlink); BUUT volgt die niet", "bestand.symlink"))
    glossary = glossary_of(root)
    rules = compile_rules(glossary)
    content = load_content(root)
    partners, partner_findings = load_partners(root)
    teams, team_findings = load_teams(root)
    project = Project(root, content, glossary, rules, partners, load_findings=partner_findings + team_findings,
                      versies=load_versies(root), teams=teams)
    project.generated = render.generated_pages(project)
    return project


def validate_project(root: Path) -> Project:
    """Load and validate everything; findings sorted by file and line."""
    from buut.check import editorial, public_wording
    from buut.load.teams import validate_teams
    from buut.check.validate import validate_references

    project = load_project(root)
    findings = list(project.content.findings) + project.load_findings
    loaded = {p.path for p in project.partners}
    unreadable = tuple(project.content.unreadable) + tuple(
        {f.path for f in project.load_findings if f.level >= Level.ERROR and f.path not in loaded})
    findings.extend(validate_references(project.content.pages, project.partners, unreadable))
    findings.extend(validate_versions(project.content.pages, project.versies))
    findings.extend(validate_macros(project))
    findings.extend(validate_intern_blocks(project.content.pages))
    findings.extend(validate_teams(project.teams, project.partners))
    from buut.search.query import verify_data_words  # search owns what an everyday word does to a query

    findings.extend(verify_data_words(project.glossary, project.rules, project.voorzieningen, project.partners))
    from buut.render import COMPOSED, wijzigingen

    findings.extend(wijzigingen.validate_notes(project))

    glossary_text = (root / "glossary.yml").read_bytes()
    glossary_digest = hashlib.sha256(glossary_text).hexdigest()
    findings.extend(public_wording.check_glossary(glossary_text.decode("utf-8"), "glossary.yml"))  # the begrippenlijst
    for page in project.pages:
        # partner pages are checked in their YAML, below; a composed page in the pages it is made of
        if page.meta.soort != "partner" and str(page.uri) not in COMPOSED:
            findings.extend(_page_findings(page, project.rules, glossary_digest, editorial.check_page))
            findings.extend(public_wording.check_page(page))
    for partner in project.partners:
        text = (root / partner.path).read_text(encoding="utf-8")
        findings.extend(check_partner(text, partner.path, project.rules, partner.publiek))
        findings.extend(check_privacy(text, partner.path, contact_spans(text)))
        findings.extend(editorial.check_data_file(text, partner.path))
        findings.extend(public_wording.check_partner(text, partner.path, partner.publiek))
    for team in project.teams:
        findings.extend(editorial.check_data_file((root / team.path).read_text(encoding="utf-8"), team.path))
    project.findings = sorted(findings, key=lambda f: (f.path, f.line, f.column))
    return project


# The findings of one page's text checks, kept between validations in one process (buut/load/memo.py).
# The key holds all the checks depend on: the page's path, address and text (front matter
# included) and glossary.yml.
_PAGE_FINDINGS: Remembered[list[Finding]] = Remembered()


def _page_findings(page: Page, rules: RuleSet, glossary_digest: str, editorial_check) -> list[Finding]:
    key = (glossary_digest, page.path, str(page.uri), page.generated, page.text)
    return list(_PAGE_FINDINGS.get(key, lambda: check_page(page, rules) + check_privacy(page.text, page.path)
                                   + editorial_check(page)))


def validate_macros(project: Project) -> list[Finding]:
    """Every macro call on a content page is allowed and works (buut/render/macros.py; nothing else runs)."""
    from buut.render.macros import MacroError, check_macros, has_macros, render_macros

    findings = []
    for page in project.content.pages:
        if not has_macros(page.body):
            continue
        problems = check_macros(page)
        if not problems:
            try:
                render_macros(page.body, project, str(page.uri), page.path, page.body_line)
            except MacroError as error:
                problems = [error.finding]
        findings.extend(problems)
    return findings


def validate_intern_blocks(pages: list[Page]) -> list[Finding]:
    """An intern block whose text would not be inside it (buut/render/public.py) is an error."""
    from buut.render.public import intern_block_findings

    return [f for page in pages if not page.generated
            for f in intern_block_findings(page.body, page.path, page.body_line)]


def validate_versions(pages: list[Page], versies: tuple[dict, ...]) -> list[Finding]:
    """A werkkader page names a version that werkkader/versies.yml knows."""
    from buut.load.wijzigingen import VERSIES_DATA

    known = [v["versie"] for v in versies]
    findings = []
    for page in pages:
        if not known or page.meta.soort != "werkkader" or page.meta.versie in (None, *known):
            continue
        line = next((i for i, text in enumerate(page.text.split("\n"), 1) if text.startswith("versie:")), 1)
        findings.append(Finding(page.path, line, 1, Level.ERROR,
                                f"versie '{page.meta.versie}' staat niet in {VERSIES_DATA} (bekend: {', '.join(known)})",
                                "frontmatter.versie"))
    return findings


def load_rules(root: Path) -> RuleSet:
    """Only the glossary's rules (from the cache when glossary.yml did not change): for checking files."""
    return compile_rules(glossary_of(root.resolve()))


def check_files(root: Path, paths: list[Path], rules: RuleSet) -> list[Finding]:
    """Check the given files, wherever they are (a pull request's changed files).

    A page in a content folder is read as that folder's pages are (front matter, werkinstructie
    data); a partner file as a partner; any other Markdown file for its terms only.
    """
    findings: list[Finding] = []
    for path in paths:
        shown = _shown(root, path)
        folder, _, rest = shown.partition("/")
        if folder == PARTNERS_DIR and path.suffix == ".yml" and not Path(shown).is_absolute():
            from buut.load.partners import parse_partner

            partner = parse_partner(path, shown, findings)
            if partner is not None:
                from buut.check import editorial

                text = path.read_text(encoding="utf-8")
                findings.extend(check_partner(text, shown, rules, partner.publiek))
                findings.extend(check_privacy(text, shown, contact_spans(text)))
                findings.extend(editorial.check_data_file(text, shown))  # as the build checks it
                from buut.check import public_wording

                findings.extend(public_wording.check_partner(text, shown, partner.publiek))
            continue
        if folder in CONTENT_DIRS and rest and not Path(shown).is_absolute():
            page = parse_page(path, shown, page_uri(folder, rest), CONTENT_DIRS[folder][1], findings)
            if page is not None:
                from buut.check import editorial, public_wording  # the editorial rules, as the build checks a page

                findings.extend(editorial.check_page(page) + public_wording.check_page(page))
        else:
            text = read_text(path, shown, findings)
            page = _loose_page(path, shown, text, findings) if text is not None else None
        if page is not None:
            findings.extend(check_page(page, rules))
            findings.extend(check_privacy(page.text, page.path))
            from buut.render.macros import check_macros  # imported here: jinja2 only when a page is checked

            findings.extend(check_macros(page))  # what a macro call may be; not whether its data exists
            findings.extend(validate_intern_blocks([page]))
    return findings


def _loose_page(path: Path, shown: str, text: str, findings: list[Finding]) -> Page | None:
    """A Markdown file outside the content folders: front matter optional, but never ignored.

    Without front matter it is checked as a page for medewerkers. With front matter it is read as a
    page: what is wrong with it is reported, and its `doelgroep` counts even when another key is
    missing, so the audience rules fire where they should.
    """
    from buut.load.content import split_front_matter
    from buut.model import DOELGROEPEN, FrontMatter

    yaml_text, yaml_line, body_line = split_front_matter(text)
    if yaml_text is None:
        return Page(shown, PurePosixPath(path.name), FrontMatter(titel=path.stem, eigenaar="onbekend"), text, 1)
    page_findings: list[Finding] = []
    page = parse_page(path, shown, PurePosixPath(path.name), "pagina", page_findings, text, site_page=False)
    findings.extend(page_findings)
    if page is not None:
        return page
    doelgroep: tuple[str, ...] = ("medewerkers",)
    try:
        data = yamlio.load(yaml_text, first_line=yaml_line)
    except yamlio.YamlProblem:
        data = None
    wanted = data.get("doelgroep") if isinstance(data, dict) else None
    wanted = [wanted] if isinstance(wanted, str) else wanted
    if isinstance(wanted, list) and wanted and all(d in DOELGROEPEN for d in wanted):
        doelgroep = tuple(wanted)
    meta = FrontMatter(titel=path.stem, eigenaar="onbekend", doelgroep=doelgroep)
    return Page(shown, PurePosixPath(path.name), meta, text, body_line or len(text.split("\n")) + 1)


def _shown(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
