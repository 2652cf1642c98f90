"""The editors' worklist: what the owner (`eigenaar`) of each page still has to do.

Gaps are editorial work, not text for medewerkers: they live in data (`open_punten` of a page,
a voorziening, a partner; empty contact fields; review dates) and are collected here, per owner.
`buut build` prints the list, the Redactie page on the intranet shows it, and `buut redactie`
adds what medewerkers reported through the feedback store.

Each collector takes the loaded project and yields `Werkpunt`s; `open_points` runs them all.
Add a collector for a new kind of data to `COLLECTORS`; nothing else has to change.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from buut.load.content import site_url  # where a page shows on the intranet
from buut.load.lifecycle import BINNENKORT, GEEN_DATUM, VERLOPEN, Review
from buut.render.common import datum

if TYPE_CHECKING:  # pragma: no cover
    from buut.check.project import Project

# Kinds of work, in the order the worklist shows them.
OPEN_PUNT, HERZIENING, PARTNERGEGEVENS = "open punt", "herziening", "partnergegevens"
ONBEKEND_VELD, TEAMGEGEVENS = "onbekend veld", "teamgegevens"
TIJDGEBONDEN = "tijdgebonden zin"

# Owners of data that is not a page of its own.
EIGENAAR_PARTNERS = "redactie-partners"
EIGENAAR_TEAMS = "redactie-teams"


@dataclass(frozen=True)
class Werkpunt:
    """One thing an owner still has to do, with the file (and line) where it is done."""

    eigenaar: str
    soort: str  # OPEN_PUNT, HERZIENING, PARTNERGEGEVENS, or a kind a later collector adds
    titel: str  # the page, voorziening or partner it is about
    tekst: str  # what is to be done, in Dutch
    pad: str  # the file to edit
    regel: int = 1
    url: str = ""  # where it shows on the intranet ("werkinstructies/dagbesteding/")

    def to_dict(self) -> dict:
        return asdict(self)


def page_points(project: "Project") -> Iterator[Werkpunt]:
    """Open points of each content page and of the voorziening it describes."""
    for page in project.content.pages:
        voorziening = page.meta.voorziening
        for punt in page.meta.open_punten:
            yield Werkpunt(page.meta.eigenaar, OPEN_PUNT, page.meta.titel, punt, page.path, 1, site_url(page.uri))
        if voorziening is not None:
            for punt in voorziening.open_punten:
                yield Werkpunt(page.meta.eigenaar, OPEN_PUNT, voorziening.naam, punt, page.path, 1, site_url(page.uri))


def review_points(project: "Project") -> Iterator[Werkpunt]:
    """Pages whose review date has passed or comes within the window, and pages without one."""
    from buut.load import lifecycle

    for item in lifecycle.reviews(project.content.pages, project.today):
        if item.due or item.status == lifecycle.GEEN_DATUM:
            page = item.page
            yield Werkpunt(page.meta.eigenaar, HERZIENING, page.meta.titel, describe(item),
                           page.path, 1, site_url(page.uri))


def partner_points(project: "Project") -> Iterator[Werkpunt]:
    """Partners without complete, verified contact data."""
    from buut.render import partners as render_partners

    for partner, missing in render_partners.volledigheid(project):
        gaps = list(missing) + ([] if partner.contact.geverifieerd_op else ["datum van controle"])
        yield Werkpunt(EIGENAAR_PARTNERS, PARTNERGEGEVENS, partner.naam,
                       "ontbreekt: " + ", ".join(gaps), partner.path, partner.line,
                       site_url(render_partners.uri(partner)))


def unknown_fields(project: "Project") -> Iterator[Werkpunt]:
    """Fields of a voorziening that are explicitly unknown ('onbekend', or left out)."""
    for page in project.content.pages:
        voorziening = page.meta.voorziening
        if voorziening is None:
            continue
        unknown = [label for label, missing in (("soort", voorziening.soort == "onbekend"),
                                                ("beschikking", voorziening.beschikking_door == "onbekend"),
                                                ("ondersteuningsplan", voorziening.ondersteuningsplan is None))
                   if missing]
        if unknown:
            yield Werkpunt(page.meta.eigenaar, ONBEKEND_VELD, voorziening.naam,
                           "nog niet vastgelegd: " + ", ".join(unknown), page.path, 1, site_url(page.uri))


def partner_open_points(project: "Project") -> Iterator[Werkpunt]:
    """Open points written in a partner file."""
    from buut.render import partners as render_partners

    for partner in project.partners:
        for punt in partner.open_punten:
            yield Werkpunt(EIGENAAR_PARTNERS, OPEN_PUNT, partner.naam, punt, partner.path, partner.line,
                           site_url(render_partners.uri(partner)))


def team_points(project: "Project") -> Iterator[Werkpunt]:
    """Per team file: the fields nobody has filled in yet, and its open points."""
    from buut.render import teams as render_teams

    for team in project.teams:
        where = site_url(render_teams.uri(team))
        missing = team.ontbrekend()
        if missing:
            yield Werkpunt(EIGENAAR_TEAMS, TEAMGEGEVENS, team.naam, "ontbreekt: " + ", ".join(missing),
                           team.path, team.line, where)
        for punt in team.open_punten:
            yield Werkpunt(EIGENAAR_TEAMS, OPEN_PUNT, team.naam, punt, team.path, team.line, where)


_STAND_CALL = re.compile(r"""\{\{-?\s*stand\(\s*(?:datum\s*=\s*)?["']([^"'\n]*)["']\s*\)\s*-?\}\}""")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*\n|\n\s*[-*+]\s+|\n\s*\|)")


def time_bound(project: "Project") -> Iterator[Werkpunt]:
    """Sentences marked with {{ stand("…") }}: true when their source was written, to check again."""
    for page in project.content.pages:
        if page.generated or "stand(" not in page.text:
            continue
        for match in _STAND_CALL.finditer(page.text):
            before = page.text[:match.start()]
            start = max((m.end() for m in _SENTENCE_START.finditer(before)), default=0)
            sentence = " ".join(before[start:].split()).lstrip("-*+ ")[-200:]
            line = before.count("\n") + 1
            yield Werkpunt(page.meta.eigenaar, TIJDGEBONDEN, page.meta.titel,
                           f"stand {match.group(1)}: \u201c{sentence}\u201d; klopt dit nog?", page.path, line,
                           site_url(page.uri))
    yield from _time_bound_data(project)


_STAND_TEXT = re.compile(r"\bstand ((?:[a-z]+ )?(?:19|20)\d\d)\)")


def _time_bound_data(project: "Project") -> Iterator[Werkpunt]:
    """In a partner file (YAML, no macros) a time-bound value ends in "(stand april 2021)" as text."""
    from buut.check.editorial import blank_open_punten
    from buut.render import partners as render_partners

    for partner in project.partners:
        try:
            text = blank_open_punten((project.root / partner.path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue  # loading reported it
        for match in _STAND_TEXT.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            shown = " ".join(text.split("\n")[line - 1].split())
            yield Werkpunt(EIGENAAR_PARTNERS, TIJDGEBONDEN, partner.naam,
                           f"stand {match.group(1)}: \u201c{shown.lstrip('- ')[:200]}\u201d; klopt dit nog?", partner.path,
                           line, site_url(render_partners.uri(partner)))


COLLECTORS: list[Callable[["Project"], Iterable[Werkpunt]]] = [page_points, review_points, partner_points,
                                                               unknown_fields, partner_open_points, team_points, time_bound]


def open_points(project: "Project", eigenaar: str | None = None) -> list[Werkpunt]:
    """Every open point of the project (of one owner), sorted by owner, kind and file."""
    order = {OPEN_PUNT: 0, ONBEKEND_VELD: 1, HERZIENING: 2, TIJDGEBONDEN: 3, PARTNERGEGEVENS: 4, TEAMGEGEVENS: 5}
    points = [p for collect in COLLECTORS for p in collect(project)
              if eigenaar is None or p.eigenaar == eigenaar]
    return sorted(points, key=lambda p: (p.eigenaar, order.get(p.soort, 9), p.pad, p.regel))


def per_eigenaar(points: Iterable[Werkpunt]) -> dict[str, list[Werkpunt]]:
    grouped: dict[str, list[Werkpunt]] = defaultdict(list)
    for point in points:
        grouped[point.eigenaar].append(point)
    return dict(grouped)


def summary(points: Iterable[Werkpunt]) -> list[str]:
    """One line per owner: how many points, by kind ("redactie-teams: 7 (7 teamgegevens)")."""
    lines = []
    for eigenaar, items in sorted(per_eigenaar(points).items()):
        kinds: dict[str, int] = defaultdict(int)
        for item in items:
            kinds[item.soort] += 1
        detail = ", ".join(f"{count} {kind}" for kind, count in kinds.items())
        lines.append(f"  {eigenaar}: {len(items)} ({detail})")
    return lines


def report(all_reviews: list[Review]) -> list[str]:
    """Lines for the build output: due and dateless pages, grouped by owner."""
    by_owner: dict[str, list[Review]] = defaultdict(list)
    for item in all_reviews:
        if item.due or item.status == GEEN_DATUM:
            by_owner[item.page.meta.eigenaar].append(item)
    lines = []
    for owner in sorted(by_owner):
        lines.append(f"  {owner}:")
        for item in sorted(by_owner[owner], key=lambda r: (r.days is None, r.days or 0, r.page.path)):
            lines.append(f"    {item.page.path}: {describe(item)}")
    return lines


def describe(item: Review) -> str:
    date = item.page.meta.herzien_voor
    if item.status == VERLOPEN:
        return f"herzien vóór {datum(date)}, {-item.days} dag(en) te laat"
    if item.status == BINNENKORT:
        return f"herzien vóór {datum(date)}, nog {item.days} dag(en)"
    if item.status == GEEN_DATUM:
        return "geen 'herzien_voor' in de front matter"
    return f"herzien vóór {datum(date)}"
