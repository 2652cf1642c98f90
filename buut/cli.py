"""The `buut` command: check, build and serve BUUT from one place.

Exit codes for every command: 0 clean, 1 when the content has errors, 2 when the input or
configuration cannot be used (a broken glossary, a missing file, a bad mkdocs.yml).
"""
from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import click

from . import formatters
from .model import BuutError, Finding, Level
from .project import check_files, find_root, load_project, validate_project

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


def search_kinds() -> list[str]:
    from .search.documents import KINDS

    return list(KINDS)


def root_option(command):
    return click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="Map van de BUUT-repository (standaard: gevonden vanaf de huidige map).")(command)


def _root(root: Path | None) -> Path:
    return (root or find_root()).resolve()


def _print(findings: list[Finding], fmt: str = "text", err: bool = False) -> None:
    if findings or fmt == "json":
        click.echo(formatters.FORMATTERS[fmt](findings), err=err)


def _unusable(error: BuutError) -> None:
    click.echo("BUUT kan niet verder; dit moet eerst worden opgelost:", err=True)
    _print(error.findings, err=True)
    sys.exit(EXIT_UNUSABLE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="buut")
def main():
    """BUUT: het sociaal intranet van de Amsterdamse buurtteams."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(formatters.FORMATTERS)), default="text",
              show_default=True, help="Uitvoer: tekst, JSON of GitHub-annotaties.")
@click.option("--min-level", type=click.Choice(["error", "warning", "suggestion"]), default="warning",
              show_default=True, help="Toon alleen meldingen vanaf dit niveau.")
@root_option
def check(paths, fmt, min_level, root):
    """Controleer de taal (begrippenlijst) en front matter van pagina's.

    Zonder PATHS: alle inhoud. Met PATHS: alleen die Markdown-bestanden, waar ze ook staan.
    """
    root = _root(root)
    try:
        if paths:
            missing = [p for p in paths if not p.is_file()]
            if missing:
                raise BuutError([Finding(str(p), 0, 0, Level.ERROR, "bestand bestaat niet", "bestand")
                                 for p in missing])
            project = load_project(root)
            findings = check_files(root, list(paths), project.rules)
        else:
            findings = validate_project(root).findings
    except BuutError as error:
        _unusable(error)
    threshold = Level.parse(min_level)
    shown = [f for f in findings if f.level >= threshold]
    _print(shown, fmt)
    if fmt == "text":
        errors = sum(f.level >= Level.ERROR for f in findings)
        click.echo(f"{errors} fout(en), {len(findings) - errors} andere melding(en).", err=True)
    sys.exit(EXIT_FINDINGS if any(f.level >= Level.ERROR for f in findings) else EXIT_CLEAN)


def _build(root: Path) -> None:
    from .render.partners import volledigheid
    from .site import BuildFailed, build_sites

    started = time.perf_counter()
    try:
        project = validate_project(root)
    except BuutError as error:
        _unusable(error)
    warnings = [f for f in project.findings if f.level == Level.WARNING]
    errors = project.errors()
    _print(warnings + errors, err=True)
    if errors:
        click.echo(f"Bouwen gestopt: {len(errors)} fout(en) in de inhoud. De vorige sites blijven staan.", err=True)
        sys.exit(EXIT_FINDINGS)
    try:
        results = build_sites(project)
    except BuildFailed as failed:
        for message in failed.messages:
            click.echo(f"mkdocs: {message}", err=True)
        click.echo(f"Bouwen mislukt: {failed}. De vorige sites blijven staan.", err=True)
        sys.exit(EXIT_UNUSABLE if failed.unusable else EXIT_FINDINGS)
    from . import search

    for result in results:
        sections = search.build_index(project, result.site_dir.name, result.site_dir)
        click.echo(f"Zoekindex {result.site_dir.name}: {sections} secties.", err=True)
    incomplete = volledigheid(project)
    if incomplete:
        click.echo(f"Partners zonder volledige, gecontroleerde contactgegevens: {len(incomplete)} van "
                   f"{len(project.partners)} (zie de pagina 'Volledigheid partnergegevens' op het intranet).", err=True)
    from . import lifecycle

    due = lifecycle.report(lifecycle.reviews(project.content.pages, project.today))
    if due:
        click.echo(f"Pagina's die vóór {project.today + dt.timedelta(days=lifecycle.WINDOW_DAYS):%d-%m-%Y} "
                   "herzien moeten worden (of geen datum hebben), per eigenaar:", err=True)
        click.echo("\n".join(due), err=True)
    seconds = time.perf_counter() - started
    for result in results:
        pages = len(list(result.site_dir.rglob("index.html")))
        click.echo(f"Gebouwd: {result.site_dir.relative_to(root)}/ ({pages} pagina's).", err=True)
    click.echo(f"Klaar in {seconds:.1f} s, {len(warnings)} waarschuwing(en).", err=True)


@main.command()
@root_option
def build(root):
    """Controleer de inhoud en bouw het intranet (site/intranet/) en de publieke site (site/publiek/)."""
    _build(_root(root))


@main.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON (query, corrected, expanded, results).")
@click.option("--publiek", is_flag=True, help="Zoek in de publieke site in plaats van het intranet.")
@click.option("--soort", type=click.Choice(search_kinds()), default=None,
              help="Alleen resultaten van deze soort.")
@click.option("-n", "n", type=click.IntRange(1, 50), default=10, show_default=True, help="Aantal resultaten.")
@root_option
def zoek(query, as_json, publiek, soort, n, root):
    """Zoek in BUUT, zoals een medewerker zou typen: 'intake', 'pgb aanvragen', 'schuldhulp'."""
    import json

    from . import search

    root = _root(root)
    try:
        project = load_project(root)
        searcher = search.Searcher.open(search.index_dir(root, "publiek" if publiek else "intranet"), project)
    except BuutError as error:
        _unusable(error)
    except FileNotFoundError as error:
        click.echo(f"{error}.", err=True)
        sys.exit(EXIT_UNUSABLE)
    answer = searcher.search(" ".join(query), soort, n)
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    for hint in answer.hints:
        click.echo(f"{hint}; ook gezocht op: {', '.join(answer.expanded)}.")
    if answer.corrected:
        click.echo(f"Bedoelde u: {answer.corrected}?")
    if answer.message:
        click.echo(answer.message)
    if answer.card:  # what the query clearly names, with its key data
        click.echo(f"Antwoord: {answer.card.titel} [{answer.card.soort}]\n    /{answer.card.url}")
        click.echo("".join(f"    {label}: {text}\n" for label, text in answer.card.velden), nl=False)
    for number, hit in enumerate(answer.results, 1):
        where = f"{hit.title} › {hit.section}" if hit.section else hit.title
        click.echo(f"{number:>2}. {where}  [{hit.kind}]\n    /{hit.url}\n    {hit.snippet}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres om op te luisteren.")
@click.option("--port", "-p", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Poort.")
@click.option("--no-build", is_flag=True, help="Niet eerst bouwen; serveer de site die er al staat.")
@root_option
def serve(host, port, no_build, root):
    """Bouw de sites en serveer het intranet met de zoek-API op http://HOST:PORT/."""
    from .serve import SiteApp, serve as run

    root = _root(root)
    if not no_build:
        _build(root)
    site_dir = root / "site" / "intranet"
    if not (site_dir / "index.html").is_file():
        click.echo("Er is nog geen gebouwde site; draai eerst 'buut build'.", err=True)
        sys.exit(EXIT_UNUSABLE)
    from . import search

    searcher = None
    try:
        searcher = search.Searcher.open(search.index_dir(root, "intranet"), load_project(root))
    except (FileNotFoundError, BuutError) as error:
        click.echo(f"Zoeken via /api/zoek staat uit: {error}", err=True)
    click.echo(f"BUUT draait op http://{host}:{port}/ (stoppen: Ctrl+C); zoeken: /api/zoek?q=…", err=True)
    run(SiteApp(site_dir, searcher), host, port)
