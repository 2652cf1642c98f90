"""What changed, told for readers: the Wijzigingen page, the start page's latest changes and Atom feeds.

Everything here comes from the change notes editors write (`wijzigingen:` in a page's front matter or
a partner file, see buut/load/wijzigingen.py), never from commit messages: those are written for
developers. `commit_findings` is the build check that keeps it so: a note that is a commit message,
or a commit message anywhere on Wijzigingen or in a feed, stops the build.

The feeds are Atom (RFC 4287): one for the whole intranet and one per section, so a medewerker can
follow the werkinstructies in any feed reader without an account.
"""
from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from buut.load.lifecycle import eigenaar_naam
from buut.load.memo import Remembered
from buut.load.wijzigingen import VERSIES_DATA
from buut.model import Finding, Level
from buut.render.common import cell, datum, first_sentence, link, slug
from buut.render.worklist import describe

if TYPE_CHECKING:  # pragma: no cover
    from buut.load.lifecycle import Commit
    from buut.check.project import Project

URI = "wijzigingen.md"
RULE_COMMIT = "wijzigingen.commitbericht"
# Feeds: file in the site -> (section folder or None for all, title)
FEEDS = {
    "feeds/wijzigingen.xml": (None, "alle pagina's"),
    "feeds/werkinstructies.xml": ("werkinstructies", "de werkinstructies"),
    "feeds/werkkader.xml": ("werkkader", "het werkkader"),
    "feeds/partners.xml": ("partners", "de partners"),
}
FEED_ENTRIES = 50
ATOM = "http://www.w3.org/2005/Atom"
MIN_COMMIT_LENGTH = 12  # shorter commit subjects ("Typo", "Links") are words a note may well contain
MIN_COMMIT_WORDS = 3
CONTENT_PATHS = ("werkkader/", "werkinstructies/", "partners/", "teams/", "publiek/", "glossary.yml", "eigenaren.yml")


@dataclass(frozen=True)
class Notitie:
    """One change note with the page it is about."""

    datum: dt.date
    tekst: str
    titel: str  # the page's or partner's title
    uri: str  # the page's source uri in the site ("werkinstructies/dagbesteding.md")
    path: str  # the file the note is written in
    line: int

    @property
    def sectie(self) -> str:
        return self.uri.split("/", 1)[0] if "/" in self.uri else ""

    @property
    def anker(self) -> str:
        return slug(self.path)


def notities(project: "Project") -> list[Notitie]:
    """Every change note of the pages and partners the project (or site view) has, newest first."""
    from buut.render import partners as render_partners

    found = [Notitie(w.datum, w.tekst, page.meta.titel, str(page.uri), page.path, w.line)
             for page in project.content.pages if not page.generated and not page.path.startswith("publiek/")
             for w in page.meta.wijzigingen]
    found += [Notitie(w.datum, w.tekst, partner.naam, render_partners.uri(partner), partner.path, w.line)
              for partner in project.partners for w in partner.wijzigingen]
    return sorted(found, key=lambda n: (-n.datum.toordinal(), n.titel.lower(), n.path, n.line))


def _inline(text: str) -> str:
    """An editor's note as Markdown text: no raw HTML (the sanitiser would drop it anyway)."""
    return " ".join(text.split()).replace("<", "&lt;")


def items(notes: Iterable[Notitie], here: str) -> list[str]:
    """Markdown list items: date, page, note."""
    return [f"- **{datum(n.datum)}**, [{_inline(n.titel)}]({link(here, n.uri)}): {_inline(n.tekst)}" for n in notes]


def laatste(project: "Project", here: str, aantal: int = 5) -> str:
    """The latest change notes as a Markdown list, with a link to Wijzigingen (the start page's macro)."""
    if not 1 <= aantal <= 20:
        raise ValueError("aantal moet tussen 1 en 20 liggen")
    notes = notities(project)[:aantal]
    if not notes:
        return "Nog geen wijzigingen."
    return "\n".join(items(notes, here) + ["", f"[Alle wijzigingen]({link(here, URI)})", ""])


def feed_links(here: str) -> list[str]:
    return [f"- [Wijzigingen in {title}]({link(here, name)})" for name, (_, title) in FEEDS.items()]


def section(notes: list[Notitie], here: str) -> list[str]:
    """The Wijzigingen page's part about change notes: recent notes, feeds, and notes per page."""
    out = ["## Recente wijzigingen", ""]
    out += items(notes[:30], here) or ["Nog geen wijzigingen met een toelichting voor lezers."]
    out += ["", "## Volgen in een feedlezer", "",
            "Met een feedlezer (RSS/Atom) zie je nieuwe wijzigingen vanzelf, zonder account:", ""]
    out += feed_links(here) + [""]
    return out


def per_page(notes: list[Notitie], here: str) -> list[str]:
    out = ["## Per pagina", ""]
    by_path: dict[str, list[Notitie]] = {}
    for note in notes:
        by_path.setdefault(note.path, []).append(note)
    if not by_path:
        out.append("Nog geen wijzigingen per pagina.")
    for path, found in sorted(by_path.items(), key=lambda item: (item[1][0].titel.lower(), item[0])):
        first = found[0]
        out += [f"### {_inline(first.titel)} {{ #{first.anker} }}", "",
                f"[Naar de pagina]({link(here, first.uri)})", ""]
        out += [f"- {datum(n.datum)}: {_inline(n.tekst)}" for n in found] + [""]
    return out


def _uuid(*parts: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "buut:" + ":".join(parts)))


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def feed(name: str, notes: list[Notitie], today: dt.date) -> str:
    """One Atom feed (RFC 4287) as XML text. Links are relative to the feed, as Atom allows."""
    folder, title = FEEDS[name]
    chosen = [n for n in notes if folder is None or n.sectie == folder][:FEED_ENTRIES]
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "nl"})

    def add(parent, tag, text=None, **attributes):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = text
        return element

    here = name
    add(root, "id", _uuid("feed", name))
    add(root, "title", f"BUUT: wijzigingen in {title}")
    add(root, "subtitle", "Wat er voor medewerkers veranderde, zoals de redactie het beschrijft.")
    add(root, "updated", _stamp(chosen[0].datum if chosen else today))
    add(root, "link", rel="self", type="application/atom+xml", href=link(here, name))
    add(root, "link", rel="alternate", type="text/html", href=_page_url(link(here, URI)))
    author = add(root, "author")
    add(author, "name", "Redactie BUUT")
    for note in chosen:
        entry = add(root, "entry")
        add(entry, "id", _uuid("wijziging", note.path, note.datum.isoformat(), note.tekst))
        add(entry, "title", f"{note.titel}: {first_sentence(note.tekst)}")
        add(entry, "updated", _stamp(note.datum))
        add(entry, "link", rel="alternate", type="text/html", href=_page_url(link(here, note.uri)))
        add(entry, "summary", note.tekst, type="text")
        if note.sectie:
            add(entry, "category", term=note.sectie)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _page_url(target: str) -> str:
    """A link to a page's source (`../werkinstructies/x.md`) as the address the site serves (`…/x/`)."""
    if target.endswith("index.md"):
        return target[:-len("index.md")]
    return target[:-3] + "/" if target.endswith(".md") else target


def feeds(project: "Project") -> dict[str, str]:
    """Every feed of the intranet: site path -> XML."""
    notes = notities(project)
    return {name: feed(name, notes, project.today) for name in FEEDS}


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def is_code(commit: "Commit") -> bool:
    """A commit that changed something besides content (code, tests, configuration): its message is
    written for developers. A commit of content only is an editor's, and may well read like a note."""
    return any(not path.startswith(CONTENT_PATHS) and not (path.startswith("docs/") and path.endswith((".md", ".yml")))
               for path in commit.paths)


def commit_findings(notes: list[Notitie], commits: Iterable["Commit"], shown: dict[str, str]) -> list[Finding]:
    """Messages of code commits that reach readers: a note that contains one, or one in the text of
    Wijzigingen or a feed (`shown`: where -> text). They are written for developers; readers get notes."""
    subjects = {_normal(c.subject): c for c in commits if is_code(c) and len(_normal(c.subject)) >= MIN_COMMIT_LENGTH
                and len(c.subject.split()) >= MIN_COMMIT_WORDS}
    findings = []
    for note in notes:
        text = _normal(note.tekst)
        for subject, commit in subjects.items():
            if subject in text:
                findings.append(Finding(note.path, note.line or 1, 1, Level.ERROR,
                                        f"deze wijziging is het commitbericht van {commit.commit} ('{commit.subject}'); "
                                        "schrijf voor lezers wat er voor hen veranderde", RULE_COMMIT, commit.subject))
                break
    if findings:
        return findings
    for where, text in shown.items():
        text = _normal(text)
        for subject, commit in subjects.items():
            if subject in text:
                findings.append(Finding(where, 1, 1, Level.ERROR,
                                        f"het commitbericht van {commit.commit} ('{commit.subject}') staat op een "
                                        "pagina voor lezers; daar horen alleen wijzigingen van de redactie",
                                        RULE_COMMIT, commit.subject))
                break
    return findings


_COMMITS: Remembered[tuple] = Remembered()  # the git log per checked-out commit (buut/load/memo.py)


def validate_notes(project: "Project") -> list[Finding]:
    """The build check: no code commit message in a change note, on Wijzigingen or in a feed."""
    from buut.load import lifecycle

    notes = notities(project)
    if not notes:
        return []
    head = lifecycle.git_head(project.root)
    if head is None:
        return []  # no git history: no commit messages to leak
    commits = _COMMITS.get((str(project.root), head), lambda: tuple(lifecycle.git_log(project.root)))
    page = wijzigingen_markdown(project.versies, notes, lifecycle.reviews(project.content.pages, project.today))
    return commit_findings(notes, commits, {f"(gegenereerd) {URI}": page, **feeds(project)})


def wijzigingen_markdown(versies, notes: list, reviews) -> str:
    """The Wijzigingen page: the editors' change notes newest first, the feeds, the werkkader versions,
    pages due for review, and the notes per page (the anchors "eerdere wijzigingen" opens).

    Only change notes (buut/render/wijzigingen.py): commit messages are for developers."""
    out = ["# Wijzigingen", "",
           "Wat er voor medewerkers is veranderd, zoals de redactie het beschrijft, nieuwste eerst; welke versie "
           "van het werkkader BUUT volgt en welke pagina's aan herziening toe zijn.", ""]
    out += section(notes, URI)
    if versies:
        out += ["## Versies van het werkkader", "", "| versie | verschenen | wat |", "|---|---|---|"]
        out += [f"| {v['versie']} | {cell(v['verschenen'])} | {cell(v['wat'])} |" for v in versies]
        out += ["", f"_Bron: werkkader 2.0, voorwoord ({VERSIES_DATA})_", ""]
    due = [r for r in reviews if r.due]
    out += ["## Aan herziening toe", ""]
    if due:
        out += ["| pagina | eigenaar | status |", "|---|---|---|"]
        out += [f"| [{cell(r.page.meta.titel)}]({link(URI, r.page.uri)}) "
                f"| {cell(eigenaar_naam(r.page.meta.eigenaar))} "
                f"| {cell(describe(r))} |" for r in sorted(due, key=lambda r: (r.days, r.page.path))]
    else:
        out.append("Geen pagina's: alles is op tijd bekeken.")
    out += [""] + per_page(notes, URI)
    return "\n".join(out)
