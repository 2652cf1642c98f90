"""Answer cards: when a query clearly names a voorziening, a partner or a begrip, its key data first.

A card is made at index time from the same data as the pages (a voorziening's toegang and
beschikking, a partner's contact data, a term of the begrippenlijst) and stored with the index
(`kaarten.json`), only for pages the site has: the public index gets no card of an internal page.

A query *clearly names* a card when one of the card's names is one of the query's words or
phrases (or one of their synonyms, everyday words and abbreviations), and that name accounts
for at least half of the query's meaningful words (verbs like "aanvragen" aside). A term of the
begrippenlijst needs all of them: "intake" gets its card, "schuld hulp" does not get one for "hulp".
When two cards are named as clearly, a voorziening goes before a partner and a partner before a
begrip ("huishoudelijke hulp" is the voorziening before it is the person), and a name that covers
more of the query before a shorter one ("algemene voorziening" before "voorzieningen").
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from buut.search.documents import url_of
from buut.search.query import STOPWORDS, Plan, lemma, words

if TYPE_CHECKING:  # pragma: no cover
    from buut.check.project import Project

CARDS_FILE = "kaarten.json"
BEGRIPPENLIJST_URL = "begrippenlijst/"
SHARE_NEEDED = {"voorziening": 0.5, "partner": 0.5, "begrip": 1.0}
ORDER = ("voorziening", "partner", "begrip")  # when two cards are named as clearly
ROL_TEKST = {"gebruiken": "gebruiken we", "ook wel": "gebruiken we in een bepaalde context",
             "niet gebruiken": "gebruiken we niet"}


@dataclass(frozen=True)
class Card:
    soort: str  # voorziening | partner | begrip
    titel: str
    url: str
    namen: tuple[str, ...]  # what a query may say to name it
    velden: tuple[tuple[str, str], ...]  # (label, text), shown in this order
    uitleg: str = ""  # a begrip's explaining section (glossary.yml `uitleg`)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["velden"] = [{"label": label, "tekst": text} for label, text in self.velden]
        del data["namen"], data["uitleg"]
        return data


def key(name: str) -> tuple[str, ...]:
    """A name as the words that count (dictionary forms, no stop words): Hulp bij het huishouden -> hulp, huishouden."""
    return tuple(lemma(w) for w in words(name) if w not in STOPWORDS)


def build_cards(project: "Project", site: str, site_dir: Path, today: dt.date | None = None) -> list[Card]:
    from buut.check.project import peildatum
    from buut.render import site_view, voorzieningen as teksten

    view = site_view(project, site)
    today = today or peildatum()
    cards = []

    def on_site(url: str) -> bool:
        return (site_dir / url.split("#", 1)[0] / "index.html").is_file()

    for voorziening in view.voorzieningen:
        url = url_of(voorziening.uri) if voorziening.uri else ""
        if not url or not on_site(url):
            continue
        velden = [("Soort", teksten.soort_tekst(voorziening))]
        beslist = [teksten.regel_tekst(r, view) for r in voorziening.geldend(today)]
        velden.append(("Wie beslist", "; ".join(beslist) or "de bronnen zeggen het niet"))
        velden.append(("Beschikking", teksten.beschikking_tekst(voorziening)))
        if voorziening.wettelijke_termijn:
            velden.append(("Wettelijke termijn", voorziening.wettelijke_termijn))
        names = (voorziening.naam, *(s.woord for s in voorziening.spreektaal))
        cards.append(Card("voorziening", voorziening.naam, url, names, tuple(velden)))
    for partner in view.partners:
        url = url_of(PurePosixPath(teksten.partner_uri(partner.id)))
        if not on_site(url):
            continue
        velden = [("Wat", partner.omschrijving)] if partner.omschrijving else []
        contact = partner.contact
        velden += [(label, value) for label, value in (("Website", contact.website), ("Telefoon", contact.telefoon),
                                                       ("E-mail", contact.email), ("Adres", contact.adres)) if value]
        if not any(label in ("Website", "Telefoon", "E-mail") for label, _ in velden):
            velden.append(("Contact", "nog niet vastgelegd; zie de partnerpagina"))
        names = ((partner.naam, partner.afkorting) if partner.afkorting else (partner.naam,)) \
            + tuple(s.woord for s in partner.spreektaal)
        cards.append(Card("partner", partner.label, url, names, tuple(velden)))
    if on_site(BEGRIPPENLIJST_URL):
        for begrip in view.glossary.begrippen:
            preferred = begrip.preferred()[0]
            url = f"{BEGRIPPENLIJST_URL}#{begrip.id}"
            for term in begrip.termen:
                velden = [("In BUUT", f"‘{term.term}’ {ROL_TEKST[term.rol]}")]
                if term.rol == "niet gebruiken" and term.vervang_door:
                    velden.append(("Schrijf liever", ", ".join(term.vervang_door)))
                if term.toelichting or term.context:
                    velden.append(("Waarom" if term.rol == "niet gebruiken" else "Context", term.toelichting or term.context))
                definitie = preferred.definitie if term.rol == "niet gebruiken" else term.definitie
                if definitie:
                    velden.append((f"Betekenis van ‘{preferred.term}’" if term.rol == "niet gebruiken" else "Betekenis",
                                   " ".join(definitie.split())))
                names = tuple(n.strip() for n in term.term.replace("(", "").replace(")", "").split(",")) \
                    + term.synoniemen + tuple(s.woord for s in term.spreektaal)
                cards.append(Card("begrip", term.term, url, names, tuple(velden), term.uitleg or begrip.uitleg))
    return cards


def write_cards(cards: list[Card], folder: Path) -> None:
    data = [{**asdict(card), "velden": [list(v) for v in card.velden]} for card in cards]
    (folder / CARDS_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


class Cards:
    """The cards of one index, looked up by the words of a query plan."""

    def __init__(self, cards: list[Card]):
        self.by_name: dict[tuple[str, ...], list[Card]] = {}
        for card in cards:
            for name in card.namen:
                if key(name):
                    self.by_name.setdefault(key(name), []).append(card)
        self.longest = max((len(k) for k in self.by_name), default=0)
        self.begrip_terms = {card.titel: card for card in cards if card.soort == "begrip"}

    @classmethod
    def load(cls, folder: Path) -> "Cards":
        path = folder / CARDS_FILE
        if not path.is_file():
            return cls([])
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls([Card(d["soort"], d["titel"], d["url"], tuple(d["namen"]), tuple(tuple(v) for v in d["velden"]),
                         d.get("uitleg", "")) for d in data])

    def explained(self, plan: Plan) -> list[str]:
        """The explaining sections of the begrippen the query names in full, once per begrip:
        "verschil maatwerkvoorziening algemene voorziening" names two, both explained in §2.5."""
        found: dict[str, str] = {}
        for card, groups in self._named(plan)[0].items():
            if card.soort == "begrip" and card.uitleg and len(groups) >= len(key(card.titel)):
                found[card.titel] = card.uitleg
        for term in plan.flagged:  # a term the check found in the query: "geïndiceerd" (indiceren)
            card = self.begrip_terms.get(term)
            if card and card.uitleg:
                found[card.titel] = card.uitleg
        return list(found.values())

    def _named(self, plan: Plan) -> tuple[dict, set]:
        named: dict[Card, set[int]] = {}  # card -> the groups its name accounts for
        typed: set[Card] = set()  # cards named by the user's own words, not by an alternative
        for index, group in enumerate(plan.groups):
            for number, alternative in enumerate(group):
                for card in self.by_name.get(tuple(lemma(w) for w in alternative), ()):
                    named.setdefault(card, set()).add(index)
                    if number == 0:
                        typed.add(card)
        # A name typed over several groups ("expertisenetwerk" "autisme").
        firsts = [group[0] for group in plan.groups]
        for start in range(len(firsts)):
            for size in range(2, min(self.longest, len(firsts) - start) + 1):
                if any(len(a) != 1 for a in firsts[start:start + size]):
                    break
                for card in self.by_name.get(tuple(lemma(a[0]) for a in firsts[start:start + size]), ()):
                    named.setdefault(card, set()).update(range(start, start + size))
                    typed.add(card)
        return named, typed

    def named(self, plan: Plan) -> Card | None:
        """The card the query clearly names, or None."""
        if not self.by_name or not plan.groups:
            return None
        wanted = [i for i in range(len(plan.groups)) if plan.weight(i) >= 1.0] or list(range(len(plan.groups)))
        named, typed = self._named(plan)
        clear = [(len(groups & set(wanted)), len(groups), card) for card, groups in named.items()]
        clear = [c for c in clear if c[0] / len(wanted) >= SHARE_NEEDED[c[2].soort]]
        if not clear:
            return None
        return min(clear, key=lambda c: (-c[0], ORDER.index(c[2].soort), -c[1], c[2] not in typed, c[2].titel))[2]
