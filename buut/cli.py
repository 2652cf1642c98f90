"""The `buut` command: check, build and serve BUUT from one place.

Exit codes for every command: 0 clean, 1 when the content has errors, 2 when the input or
configuration cannot be used (a broken glossary, a missing file, a bad mkdocs.yml).
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

import click

from buut.check import formatters
from buut.model import BuutError, Finding, Level
from buut.build.project import check_files, find_root, load_project, load_rules, validate_project

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


def search_kinds() -> list[str]:
    from buut.search.documents import KINDS

    return list(KINDS)


def root_option(command):
    return click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="Map van de BUUT-repository (standaard: gevonden vanaf de huidige map).")(command)


def database_option(command):
    return click.option("--database", metavar="URL", default=None,
                        help="De database voor feedback: een pad, sqlite:///pad of postgresql://… "
                             "(standaard: $BUUT_DATABASE, anders .buut/buut.sqlite3).")(command)


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
            findings = check_files(root, list(paths), load_rules(root))  # the glossary only: quick
        else:
            findings = validate_project(root).findings
    except BuutError as error:
        _unusable(error)
    threshold = Level.parse(min_level)
    shown = [f for f in findings if f.level >= threshold]
    _print(shown, fmt)
    if fmt == "text":
        click.echo(_summary(findings, threshold, paths), err=True)
    sys.exit(EXIT_FINDINGS if any(f.level >= Level.ERROR for f in findings) else EXIT_CLEAN)


def _summary(findings: list[Finding], threshold: Level, paths=()) -> str:
    """Counts per level; for meldingen below --min-level, the command that shows them."""
    names = {Level.ERROR: ("fout", "fouten"), Level.WARNING: ("waarschuwing", "waarschuwingen"),
             Level.SUGGESTION: ("suggestie", "suggesties")}
    parts, hidden = [], []
    for level in sorted(Level, reverse=True):
        count = sum(f.level == level for f in findings)
        parts.append(f"{count} {names[level][count != 1]}" + (" (niet getoond)" if count and level < threshold else ""))
        if count and level < threshold:
            hidden.append(level)
    line = ", ".join(parts) + "."
    if hidden:
        command = " ".join(["buut check", *(str(p) for p in paths), "--min-level", hidden[-1].english])
        line += f" Zie ook de {' en '.join(names[level][1] for level in hidden)} met: {command}"
    return line


def _report_findings(project) -> None:
    _print([f for f in project.findings if f.level == Level.WARNING] + project.errors(), err=True)


def _build(root: Path) -> None:
    from buut.render.partners import volledigheid
    from buut.build.site import BuildFailed, ContentErrors, check_and_build

    started = time.perf_counter()
    try:
        # the checks, both sites and their indexes, on every core; the findings are printed first
        project, results = check_and_build(root, _report_findings)
    except BuutError as error:
        _unusable(error)
    except ContentErrors as stopped:
        click.echo(f"Bouwen gestopt: {len(stopped.project.errors())} fout(en) in de inhoud. "
                   "De vorige sites blijven staan.", err=True)
        sys.exit(EXIT_FINDINGS)
    except BuildFailed as failed:
        for message in failed.messages:
            click.echo(f"mkdocs: {message}", err=True)
        click.echo(f"Bouwen mislukt: {failed}. De vorige sites blijven staan.", err=True)
        sys.exit(EXIT_UNUSABLE if failed.unusable else EXIT_FINDINGS)
    warnings = [f for f in project.findings if f.level == Level.WARNING]
    for result in results:
        click.echo(f"Zoekindex {result.site_dir.name}: {result.sections} secties.", err=True)
    incomplete = volledigheid(project)
    if incomplete:
        click.echo(f"Partners zonder volledige, gecontroleerde contactgegevens: {len(incomplete)} van "
                   f"{len(project.partners)} (zie de pagina 'Volledigheid partnergegevens' op het intranet).", err=True)
    from buut.load import lifecycle
    from buut.render.worklist import report

    due = report(lifecycle.reviews(project.content.pages, project.today))
    if due:
        click.echo(f"Pagina's die vóór {project.today + dt.timedelta(days=lifecycle.WINDOW_DAYS):%d-%m-%Y} "
                   "herzien moeten worden (of geen datum hebben), per eigenaar:", err=True)
        click.echo("\n".join(due), err=True)
    from buut.render import worklist

    points = worklist.open_points(project)
    if points:
        click.echo(f"Werklijst van de redactie: {len(points)} open punt(en), per eigenaar:", err=True)
        click.echo("\n".join(worklist.summary(points)), err=True)
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
@click.option("--publiek", is_flag=True, help="De publieke site (mkdocs.publiek.yml) in plaats van het intranet.")
@click.option("--adres", default="127.0.0.1:8000", show_default=True, metavar="HOST:POORT",
              help="Waar de voorvertoning te zien is.")
@root_option
def voorvertoning(publiek, adres, root):
    """Bekijk je wijzigingen terwijl je schrijft: mkdocs serve, met alleen de meldingen die je nodig hebt.

    Een fout in de inhoud staat dan ook bovenaan de pagina in je browser."""
    import os

    from mkdocs.__main__ import cli as mkdocs

    os.environ["NO_MKDOCS_2_WARNING"] = "1"  # mkdocs-material's English notice about its end of life
    config = _root(root) / ("mkdocs.publiek.yml" if publiek else "mkdocs.yml")
    mkdocs.main(args=["serve", "--config-file", str(config), "--dev-addr", adres], prog_name="buut voorvertoning")


@main.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON (query, corrected, expanded, results).")
@click.option("--publiek", is_flag=True, help="Zoek in de publieke site in plaats van het intranet.")
@click.option("--soort", type=click.Choice(search_kinds()), default=None,
              help="Alleen resultaten van deze soort.")
@click.option("-n", "n", type=click.IntRange(1, 50), default=10, show_default=True, help="Aantal resultaten.")
@click.option("--vanaf", "offset", type=click.IntRange(0, 450), default=0, show_default=True,
              help="Sla de eerste resultaten over (de volgende bladzijde: --vanaf 10).")
@root_option
def zoek(query, as_json, publiek, soort, n, offset, root):
    """Zoek in BUUT, zoals een medewerker zou typen: 'intake', 'pgb aanvragen', 'schuldhulp'."""
    import json

    from buut import search

    root = _root(root)
    try:
        project = load_project(root)
        searcher = search.Searcher.open(search.index_dir(root, "publiek" if publiek else "intranet"), project)
    except BuutError as error:
        _unusable(error)
    except FileNotFoundError as error:
        click.echo(f"{error}.", err=True)
        sys.exit(EXIT_UNUSABLE)
    answer = searcher.search(" ".join(query), soort, n, offset)
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
    if answer.results:
        click.echo(answer.count_text()[:1].upper() + answer.count_text()[1:] + ":")
    for number, hit in enumerate(answer.results, offset + 1):
        where = f"{hit.title} › {hit.section}" if hit.section else hit.title
        click.echo(f"{number:>2}. {where}  [{hit.kind}]\n    /{hit.url}\n    {hit.snippet}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres om op te luisteren.")
@click.option("--port", "-p", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Poort.")
@click.option("--no-build", is_flag=True, help="Niet eerst bouwen; serveer de site die er al staat.")
@click.option("--auth", type=click.Choice(["none", "proxy", "oidc"]), default="none", show_default=True,
              envvar="BUUT_AUTH",
              help="Inloggen: none (geen, alleen op deze machine), proxy (oauth2-proxy ervoor) of oidc "
                   "(BUUT logt zelf in via OpenID Connect; instellingen in BUUT_OIDC_*). Ook via BUUT_AUTH.")
@click.option("--trusted-proxy", multiple=True, default=("127.0.0.1",), show_default=True, metavar="ADRES",
              help="Het adres of netwerk (CIDR) van de proxy waarvan BUUT de kopregels gelooft: bij --auth proxy "
                   "X-Forwarded-User en de groepen, en altijd X-Real-IP (het adres van wie een melding van de "
                   "publieke site stuurt); te herhalen of met komma's.")
@click.option("--zonder-login-op-netwerk", is_flag=True,
              help="Sta --auth none toe op een ander adres dan 127.0.0.1: iedereen die de poort bereikt, "
                   "leest alles, ook de werklijst.")
@click.option("--release", "releases", metavar="MAP", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Serveer de release waar MAP/current naar wijst (gemaakt met 'buut release'); bouwt niet.")
@database_option
@root_option
def serve(host, port, no_build, auth, trusted_proxy, zonder_login_op_netwerk, releases, database, root):
    """Bouw de sites en serveer het intranet met de zoek-API en de feedback op http://HOST:PORT/."""
    from buut.serve.login import Login, LoginConfigError, LoginSettings, is_loopback
    from buut.serve.app import serve as run

    try:
        login = LoginSettings.from_env(auth, trusted_proxy)
    except LoginConfigError as error:
        click.echo(f"Inloggen is niet goed ingesteld: {error}", err=True)
        sys.exit(EXIT_UNUSABLE)
    if auth == "none" and not is_loopback(host):
        if not zonder_login_op_netwerk:
            click.echo(f"Zonder inloggen luistert BUUT alleen op deze machine (127.0.0.1), niet op {host}. Kies "
                       "--auth proxy of --auth oidc, of zet er bewust --zonder-login-op-netwerk bij.", err=True)
            sys.exit(EXIT_UNUSABLE)
        click.echo(f"Waarschuwing: BUUT draait zonder inloggen op {host}: iedereen die deze poort bereikt, kan alle "
                   "interne pagina's, de werklijst en de meldingen lezen.", err=True)
    for warning in login.warnings():
        click.echo(warning, err=True)
    root = _root(root)
    if not no_build and releases is None:
        _build(root)
    site_dir = root / "site" / "intranet"
    if releases is None and not (site_dir / "index.html").is_file():
        click.echo("Er is nog geen gebouwde site; draai eerst 'buut build'.", err=True)
        sys.exit(EXIT_UNUSABLE)
    try:
        project = load_project(root)
    except BuutError as error:
        _unusable(error)
    opened = _open_store(database, project.root, pool_size=_pool_size())
    click.echo(f"Feedback wordt bewaard in {opened.where}.", err=True)
    if releases is None:
        from buut import search

        app = _release_app(project, opened, site_dir, search.index_dir(root, "intranet"), login.trusted_proxies)
    else:
        from buut.serve.release import ReleaseApp, current

        releases = releases.resolve()
        if current(releases) is None:
            click.echo(f"Let op: {releases}/current wijst nog naar geen release; /readyz geeft 503 tot "
                       "'buut release' er een publiceert.", err=True)
        app = ReleaseApp(releases, lambda release: _release_app(project, opened, release / "intranet",
                                                                release / "zoekindex" / "intranet",
                                                                login.trusted_proxies))
    click.echo(f"BUUT draait op http://{host}:{port}/ (stoppen: Ctrl+C; inloggen: {auth}); zoeken: /api/zoek?q=…",
               err=True)
    run(Login(app, login), host, port)


def _release_app(project, opened, site_dir: Path, index: Path, trusted: tuple = ()):
    """The application for one built intranet and its index: pages, search, feedback (also from the
    public site, `trusted`: the proxies whose X-Real-IP counts), health."""
    from buut import search
    from buut.serve.correctie import PUBLIEK_FEEDBACK_PATH, PubliekeMeldingen
    from buut.serve.feedback import FeedbackApi
    from buut.serve.health import Health
    from buut.serve.app import SiteApp

    searcher = None
    try:
        searcher = search.Searcher.open(index, project)
    except (FileNotFoundError, BuutError) as error:
        click.echo(f"Zoeken via /api/zoek staat uit: {error}", err=True)
    app = SiteApp(site_dir, searcher)
    meldingen = PubliekeMeldingen.for_project(project, opened, trusted)
    app.routes[PUBLIEK_FEEDBACK_PATH] = meldingen
    app.feedback = FeedbackApi.for_project(project, opened, searcher, publiek=meldingen.pages)
    app.health = Health(opened, searcher)
    return app


def _pool_size() -> int:
    """PostgreSQL connections a server keeps open: $BUUT_DATABASE_POOL, else one per waitress thread."""
    from buut.serve.app import WAITRESS

    value = os.environ.get("BUUT_DATABASE_POOL", str(WAITRESS["threads"]))
    if not value.isdigit() or not 1 <= int(value) <= 100:
        click.echo(f"BUUT_DATABASE_POOL moet een getal van 1 tot en met 100 zijn, niet '{value}'.", err=True)
        sys.exit(EXIT_UNUSABLE)
    return int(value)


@main.command()
@click.option("--map", "folder", metavar="MAP", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Map met de releases (standaard: site/releases in de repository).")
@click.option("--terug", is_flag=True, help="Zet de vorige release terug in plaats van een nieuwe te publiceren.")
@root_option
def release(folder, terug, root):
    """Publiceer de laatste build als release (alleen-lezen) en maak die actief voor alle servers."""
    from buut.serve import release as releases

    root = _root(root)
    folder = (folder or root / "site" / "releases").resolve()
    try:
        made = releases.back(folder) if terug else releases.publish(root, folder)
    except BuutError as error:
        click.echo(f"Geen release gemaakt: {error}.", err=True)
        sys.exit(EXIT_UNUSABLE)
    except OSError as error:
        click.echo(f"De release kon niet worden gemaakt in {folder}: {error}", err=True)
        sys.exit(EXIT_UNUSABLE)
    click.echo(f"Release {made.name} is actief: {folder / releases.CURRENT} → {made.name}")


@main.command()
@click.option("--server", "servers", metavar="ADRES:POORT", multiple=True, required=True,
              help="Een buut serve-proces achter nginx; herhaal voor elk proces.")
@click.option("--release", "releases", metavar="MAP", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="De map met de releases (zoals bij 'buut release --map' en 'buut serve --release').")
@click.option("--cert", required=True, type=click.Path(dir_okay=False, path_type=Path), help="TLS-certificaat (PEM).")
@click.option("--sleutel", "key", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="De sleutel van het certificaat (PEM).")
@click.option("--intranet", "intranet_listen", default="443", show_default=True, metavar="[ADRES:]POORT",
              help="Waar nginx het intranet aanbiedt.")
@click.option("--intranet-naam", default="_", show_default=True, help="Hostnaam van het intranet.")
@click.option("--publiek", "publiek_listen", default="443", show_default=True, metavar="[ADRES:]POORT",
              help="Waar nginx de publieke site aanbiedt.")
@click.option("--publiek-naam", default="_", show_default=True, help="Hostnaam van de publieke site.")
@click.option("--oauth2-proxy", metavar="ADRES:POORT", default=None,
              help="Login met oauth2-proxy op dit adres (auth_request); zonder: nginx zelf laat iedereen door.")
@click.option("--gebruiker", default="www-data", show_default=True, help="Gebruiker van de nginx-werkprocessen.")
@click.option("--pid", default="/run/nginx.pid", show_default=True, help="Pid-bestand van nginx.")
@click.option("--logs", default="/var/log/nginx", show_default=True, help="Map voor de logboeken van nginx.")
@click.option("--temp", default="/var/lib/nginx", show_default=True, help="Map voor tijdelijke bestanden van nginx.")
@click.option("--mime-types", default="/etc/nginx/mime.types", show_default=True, help="mime.types van nginx.")
def nginx(servers, releases, cert, key, intranet_listen, intranet_naam, publiek_listen, publiek_naam, oauth2_proxy,
          gebruiker, pid, logs, temp, mime_types):
    """Schrijf de nginx-configuratie van deploy/ (intranet via de servers, publieke site als bestanden)."""
    from buut.serve.deploy import NginxSettings, nginx_config

    settings = NginxSettings(tuple(servers), releases.resolve(), cert.resolve(), key.resolve(), intranet_listen,
                             intranet_naam, publiek_listen, publiek_naam, oauth2_proxy, gebruiker, pid, logs, temp,
                             mime_types)
    try:
        click.echo(nginx_config(settings), nl=False)
    except BuutError as error:
        click.echo(f"Geen nginx-configuratie gemaakt: {error}.", err=True)
        sys.exit(EXIT_UNUSABLE)


def _open_store(database: str | None, root: Path, pool_size: int = 0):
    from buut.serve import store

    try:
        return store.open_store(database, root, pool_size)
    except store.StoreError as error:
        click.echo(f"De database voor feedback is niet te gebruiken: {error}", err=True)
        sys.exit(EXIT_UNUSABLE)


@main.group(invoke_without_command=True)
@click.option("--eigenaar", metavar="NAAM", default=None, help="Alleen de werklijst van deze eigenaar.")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON (eigenaren, zoekvragen).")
@database_option
@root_option
@click.pass_context
def redactie(ctx, eigenaar, as_json, database, root):
    """De werklijst van de redacties: meldingen, "niet nuttig", zoekvragen zonder resultaat, open punten.

    Een melding afhandelen: buut redactie afhandelen ID.
    """
    ctx.obj = {"database": database, "root": root}
    if ctx.invoked_subcommand:
        return
    import json

    from buut.render import worklist
    from buut.serve.correctie import public_pages
    from buut.serve.feedback import site_pages, werklijst

    root = _root(root)
    try:
        project = load_project(root)
    except BuutError as error:
        _unusable(error)
    opened = _open_store(database, root)
    if eigenaar is not None and eigenaar not in {p.meta.eigenaar for p in project.pages} | {
            p.eigenaar for p in worklist.open_points(project)}:
        click.echo(f"Let op: geen pagina heeft eigenaar '{eigenaar}'.", err=True)
    lijst = werklijst(opened, site_pages(project), worklist.open_points(project, eigenaar), eigenaar,
                      publiek=public_pages(project))
    if as_json:
        click.echo(json.dumps(lijst, ensure_ascii=False, indent=2))
        return
    click.echo("\n".join(_werklijst_text(lijst)))


def _werklijst_text(lijst: dict) -> list[str]:
    lines = []
    for owner in lijst["eigenaren"]:
        lines.append(f"{owner['naam']} ({owner['eigenaar']})")
        if owner["meldingen"]:
            lines.append("  Meldingen (afhandelen: buut redactie afhandelen ID):")
            lines += [f"    #{m['id']} {m['dag']} /{m['pagina']} ({m['titel']})"
                      f"{' [niet nuttig]' if m['soort'] == 'niet-nuttig' else ''}{_herkomst(m)}: {m['tekst']}"
                      for m in owner["meldingen"]]
        if owner["niet_nuttig"]:
            lines.append("  Niet nuttig:")
            lines += [f"    /{w['pagina']} ({w['titel']}): {w['niet_nuttig']}× niet nuttig, {w['nuttig']}× nuttig"
                      for w in owner["niet_nuttig"]]
        if owner["open_punten"]:
            lines.append("  Open punten:")
            lines += [f"    {p['pad']}:{p['regel']}: [{p['soort']}] {p['titel']}: {p['tekst']}" for p in owner["open_punten"]]
    lines.append("Zoekvragen zonder volledig resultaat:" if lijst["zoekvragen"] else
                 "Geen zoekvragen zonder volledig resultaat.")
    lines += [f"  {q['aantal']:>4}× {q['vraag']} (laatst {q['laatst']})" for q in lijst["zoekvragen"]]
    if lijst.get("spreektaal"):
        lines.append("Kandidaten voor spreektaal (zie het handboek, De begrippenlijst bijhouden):")
        lines += [f"  {k['aantal']:>4}× {k['woord']} ({k['waarom']})" + (f" → /{k['pagina']}" if k["pagina"] else "")
                  for k in lijst["spreektaal"]]
    return lines


def _herkomst(melding: dict) -> str:
    """" [van de publieke site, organisatie: …]" for a partner's report; "" for a medewerker's."""
    parts = [melding.get("herkomst") or ""] + ([f"organisatie: {melding['organisatie']}"] if melding.get("organisatie")
                                                else [])
    parts = [part for part in parts if part]
    return f" [{', '.join(parts)}]" if parts else ""


@redactie.command()
@click.argument("ident", metavar="ID", type=click.IntRange(1))
@database_option
@root_option
@click.pass_context
def afhandelen(ctx, ident, database, root):
    """Haal melding ID van de werklijst (de melding is afgehandeld)."""
    root = _root(root or ctx.obj["root"])
    opened = _open_store(database or ctx.obj["database"], root)
    if not opened.mark_handled(ident):
        click.echo(f"Er staat geen open melding met nummer {ident}.", err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo(f"Melding {ident} is afgehandeld en staat niet meer op de werklijst.")


@redactie.command()
@click.option("--droog", is_flag=True, help="Toon de e-mails in plaats van ze te versturen.")
@click.option("--sinds", metavar="DAGEN", type=click.IntRange(1, 365), default=7, show_default=True,
              help="Meldingen en zoekvragen van zoveel dagen terug.")
@click.option("--eigenaar", metavar="NAAM", default=None, help="Alleen de herinnering voor deze eigenaar.")
@database_option
@root_option
@click.pass_context
def herinneren(ctx, droog, sinds, eigenaar, database, root):
    """Stuur elke eigenaar een overzicht per e-mail: pagina's die (bijna) aan herziening toe zijn, nieuwe
    meldingen en zoekvragen zonder resultaat. Adressen: eigenaren.yml; mailserver: BUUT_SMTP_HOST,
    BUUT_SMTP_PORT en BUUT_SMTP_AFZENDER."""
    from buut.serve import herinneren as mail

    root = _root(root or ctx.obj["root"])
    try:
        server = None if droog else mail.mailserver()  # settings and addresses first: they fail fast
        adressen = mail.load_adressen(root)
        project = load_project(root)
    except BuutError as error:
        _unusable(error)
    opened = _open_store(database or ctx.obj["database"], root)
    digests = mail.compose(project, opened, adressen, project.today, sinds, eigenaar)
    if not digests:
        click.echo("Niemand hoeft een herinnering: er is niets aan herziening toe en er zijn geen nieuwe "
                   "meldingen of zoekvragen.")
        return
    without = [d.eigenaar for d in digests if not d.adres]
    if droog:
        for digest in digests:
            click.echo(f"Aan: {digest.adres or '(geen adres in ' + mail.EIGENAREN_DATA + ')'}\n"
                       f"Onderwerp: {digest.onderwerp}\n\n{digest.tekst}\n{'-' * 72}")
        click.echo(f"Niets verstuurd (--droog): {len(digests) - len(without)} e-mail(s) klaar om te versturen.")
    else:
        try:
            sent = mail.send(digests, server)
        except BuutError as error:
            _unusable(error)
        for digest in sent:
            click.echo(f"Verstuurd aan {digest.eigenaar} ({digest.adres}): {digest.onderwerp}")
    if without:
        click.echo(f"Geen e-mailadres in {mail.EIGENAREN_DATA} voor: {', '.join(without)}; "
                   "zij krijgen deze herinnering niet.", err=True)
