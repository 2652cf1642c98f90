"""Helpers shared by the renderers: generated pages, relative links, Markdown escaping."""
from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata
from pathlib import PurePosixPath

from buut.model import FrontMatter, Page

MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december")


def generated(uri: str, titel: str, body: str, soort: str, doelgroep=("medewerkers",),
               zichtbaarheid="publiek", source: str = "", eigenaar: str = "redactie-begrippen") -> Page:
    meta = FrontMatter(titel=titel, eigenaar=eigenaar, zichtbaarheid=zichtbaarheid,
                       doelgroep=tuple(doelgroep), soort=soort, bron=source or None)
    return Page(path=f"(gegenereerd) {uri}", uri=PurePosixPath(uri), meta=meta, text=body, body_line=1,
                generated=True)


def link(from_uri, to_uri, anchor: str = "") -> str:
    """A relative Markdown link target from one page to another (both as source paths)."""
    here = posixpath.dirname(str(from_uri))
    target = posixpath.relpath(str(to_uri), here or ".")
    return target + (f"#{anchor}" if anchor else "")


def cell(text: str) -> str:
    """Text that is safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def datum(day: dt.date) -> str:
    return f"{day.day} {MAANDEN[day.month - 1]} {day.year}"


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


_STAND = re.compile(r"(?:(%s) )?((?:19|20)\d\d)" % "|".join(MAANDEN))


def stand(wanneer: str) -> str:
    """A time-bound sentence's source date as the reader sees it: "(stand april 2021)"."""
    wanneer = " ".join(str(wanneer).split()).lower()
    if not _STAND.fullmatch(wanneer):
        raise ValueError(f"stand('{wanneer}'): schrijf een maand en jaar of een jaar, zoals 'april 2021' of '2021'")
    return f'<span class="buut-stand" data-buut-stand="{wanneer}">(stand {wanneer})</span>'
