"""`buut redactie herinneren`: each owner's digest by e-mail, so nobody has to look for their work.

Per owner (`eigenaar`): pages whose `herzien_voor` has passed or comes within 30 days, reports by
medewerkers of the last days, and the searches that found nothing in those days (these have no owner:
every digest lists them). Addresses come from `eigenaren.yml` (data, in git): an owner without an
address gets no e-mail, and the command says so. The mail server comes from the environment:

    BUUT_SMTP_HOST      the SMTP server (required to send)
    BUUT_SMTP_PORT      its port (default 25)
    BUUT_SMTP_AFZENDER  the From address (required to send)

`compose()` makes the digests (it reads, never sends); `send()` sends them over one SMTP connection.
"""
from __future__ import annotations

import datetime as dt
import os
import smtplib
import socket
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING

from buut.load import lifecycle
from buut.load.content import site_url
from buut.model import BuutError, Finding, Level
from buut.render.common import datum
from buut.load.schema import Email, ListOf, Nested, Schema, Text, load_data_file

if TYPE_CHECKING:  # pragma: no cover
    from buut.check.project import Project
    from buut.serve.store.base import Store

EIGENAREN_DATA = "eigenaren.yml"
SMTP_HOST, SMTP_PORT, SMTP_AFZENDER = "BUUT_SMTP_HOST", "BUUT_SMTP_PORT", "BUUT_SMTP_AFZENDER"
SMTP_TIMEOUT = 20  # seconds; a server that does not answer ends the command with a message

EIGENAAR = Schema("een eigenaar", {
    "eigenaar": Text(required=True, pattern=r"[a-z0-9][a-z0-9-]*", pattern_help="de naam zoals in 'eigenaar:' van een pagina"),
    "e-mail": Email(help="Functioneel adres waar de herinnering heen gaat; leeg: geen herinnering per e-mail."),
})
EIGENAREN = Schema("eigenaren.yml", {"eigenaren": ListOf(Nested(EIGENAAR), required=True)})


def load_adressen(root: Path) -> dict[str, str]:
    """Owner -> e-mail address ("" where nobody gave one); {} when the file is not there."""
    clean = load_data_file(root, EIGENAREN_DATA, EIGENAREN, "eigenaren", required=False)
    return {item["eigenaar"]: item["e-mail"] or "" for item in (clean or {}).get("eigenaren") or ()}


@dataclass(frozen=True)
class Overzicht:
    """One owner's digest."""

    eigenaar: str
    adres: str
    onderwerp: str
    tekst: str


def compose(project: "Project", store: "Store", adressen: dict[str, str], today: dt.date,
            sinds: int = 7, eigenaar: str | None = None) -> list[Overzicht]:
    """A digest for every owner with something to do (of one owner with `eigenaar`)."""
    start = (today - dt.timedelta(days=sinds)).isoformat()
    due: dict[str, list[lifecycle.Review]] = {}
    for item in lifecycle.reviews(project.content.pages, today):
        if item.due:
            due.setdefault(item.page.meta.eigenaar, []).append(item)
    reports: dict[str, list] = {}
    for melding in store.reports():
        if melding.dag >= start:
            reports.setdefault(melding.eigenaar, []).append(melding)
    searches = [q for q in store.failed_searches(10) if q.laatst >= start]
    owners = sorted(set(due) | set(reports) | (set(adressen) if searches else set()))
    digests = []
    for owner in owners:
        if eigenaar is not None and owner != eigenaar:
            continue
        mine, theirs = sorted(due.get(owner, ()), key=lambda r: (r.days, r.page.path)), reports.get(owner, ())
        if not mine and not theirs and not searches:
            continue
        digests.append(_digest(owner, adressen.get(owner, ""), mine, theirs, searches, today, sinds))
    return digests


def _digest(owner: str, adres: str, due, reports, searches, today: dt.date, sinds: int) -> Overzicht:
    naam = lifecycle.eigenaar_naam(owner)
    late = [r for r in due if r.status == lifecycle.VERLOPEN]
    soon = [r for r in due if r.status == lifecycle.BINNENKORT]
    lines = [f"Goedemorgen {naam},", "",
             f"Dit is het overzicht van BUUT van {datum(today)}: wat er voor jullie pagina's te doen is.", ""]
    if late:
        lines += [f"Aan herziening toe ({len(late)}):"]
        lines += [f"- {r.page.meta.titel} (/{site_url(r.page.uri)}, {r.page.path}): uiterlijk "
                  f"{datum(r.page.meta.herzien_voor)}, {-r.days} dag(en) geleden" for r in late] + [""]
    if soon:
        lines += [f"Binnenkort aan herziening toe ({len(soon)}):"]
        lines += [f"- {r.page.meta.titel} (/{site_url(r.page.uri)}, {r.page.path}): uiterlijk "
                  f"{datum(r.page.meta.herzien_voor)}, over {r.days} dag(en)" for r in soon] + [""]
    if reports:
        lines += [f"Nieuwe meldingen, de afgelopen {sinds} dagen ({len(reports)}):"]
        lines += [f"- nummer {m.id}, {datum(dt.date.fromisoformat(m.dag))}, /{m.pagina}"
                  f"{' (van de publieke site)' if m.bron == 'publiek' else ''}: {m.tekst}" for m in reports]
        lines += ["  Afhandelen: buut redactie afhandelen NUMMER", ""]
    if searches:
        lines += [f"Zoekvragen zonder volledig resultaat, de afgelopen {sinds} dagen (voor alle redacties):"]
        lines += [f"- \u201c{q.vraag}\u201d: {q.aantal} keer" for q in searches] + [""]
    lines += ["De hele werklijst staat op de pagina Redactie van het intranet en komt met: buut redactie "
              f"--eigenaar {owner}", "", "Met groet,", "BUUT"]
    parts = [f"{len(late)} aan herziening toe" if late else "", f"{len(soon)} binnenkort" if soon else "",
             f"{len(reports)} nieuwe melding(en)" if reports else "",
             f"{len(searches)} zoekvraag/zoekvragen zonder resultaat" if searches else ""]
    onderwerp = f"BUUT voor {naam}: " + ", ".join(p for p in parts if p)
    return Overzicht(owner, adres, onderwerp, "\n".join(lines) + "\n")


@dataclass(frozen=True)
class Mailserver:
    host: str
    port: int
    afzender: str


def mailserver(environ=os.environ) -> Mailserver:
    """The SMTP settings from the environment; BuutError (exit 2) in Dutch when one is missing or wrong."""
    host, afzender = environ.get(SMTP_HOST, "").strip(), environ.get(SMTP_AFZENDER, "").strip()
    problems = []
    if not host:
        problems.append(f"{SMTP_HOST} ontbreekt: zet het adres van de mailserver in de omgeving")
    if not afzender or not Email.valid(afzender):
        problems.append(f"{SMTP_AFZENDER} ontbreekt of is geen e-mailadres (zoals redactie@voorbeeld.nl)")
    port_text = environ.get(SMTP_PORT, "25").strip() or "25"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        problems.append(f"{SMTP_PORT} is geen poortnummer: '{port_text}'")
    if problems:
        raise BuutError([Finding("", 0, 0, Level.ERROR, p, "smtp") for p in problems])
    return Mailserver(host, int(port_text), afzender)


def message(digest: Overzicht, afzender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = afzender, digest.adres, digest.onderwerp
    mail["Date"], mail["Message-ID"] = formatdate(localtime=False), make_msgid(domain=afzender.rpartition("@")[2])
    mail.set_content(digest.tekst)
    return mail


def send(digests: list[Overzicht], server: Mailserver) -> list[Overzicht]:
    """Send every digest that has an address over one connection; returns those sent.
    BuutError (Dutch) when the server cannot be reached or refuses."""
    chosen = [d for d in digests if d.adres]
    if not chosen:
        return []
    try:
        with smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT) as smtp:
            for digest in chosen:
                smtp.send_message(message(digest, server.afzender))
    except (OSError, smtplib.SMTPException, socket.timeout) as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise BuutError(f"de mailserver {server.host}:{server.port} nam de herinneringen niet aan ({reason})") from None
    return chosen
