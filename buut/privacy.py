"""Privacy lint (AVG, werkkader §2.6): content never holds personal data of Amsterdammers.

Small uniform checks, each a pattern for candidates plus a test that keeps only the real thing:

- `privacy.bsn`: nine digits (also written 1234.56.789 or 123 456 789) that pass the elfproef;
- `privacy.iban`: an IBAN whose mod-97 check holds;
- `privacy.geboortedatum`: a full date next to "geboren", "geb." or "geboortedatum";
- `privacy.e-mail` and `privacy.telefoon`: an e-mail address or a Dutch phone number, except in
  the `contact:` block of a partner file (the organisation's verified public contact data). A
  functional mailbox (`info@…`, `team.west@…`, `secretariaat-noord@…`) belongs to no person and is
  not flagged: one part of the name is a role word from FUNCTIONAL_MAILBOXES and none is an initial.

A casus with a first name and an age ("Carolien (34)") stays allowed: that is how the werkkader
tells its examples. A line with `<!-- buut: negeer -->` is skipped, as for the terminology check;
a reviewer sees that comment in the pull request.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from .prose import IGNORED, blank
from .model import Finding, Level
from .schema import Phone

MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
          "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec")
_DATE = rf"\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)\d{{2}}|\d{{1,2}}\s+(?:{MONTHS})\.?\s+(?:19|20)\d{{2}}"


def elfproef(digits: str) -> bool:
    """The BSN check: 9×d1 + 8×d2 + … + 2×d8 − 1×d9 is a multiple of 11 (and not all zeros)."""
    if len(digits) != 9 or digits == "0" * 9:
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    return total % 11 == 0


def iban_valid(iban: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to numbers, mod 97 == 1."""
    iban = re.sub(r"\s", "", iban).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        return False
    if iban.startswith("NL") and not re.fullmatch(r"NL\d{2}[A-Z]{4}\d{10}", iban):
        return False
    number = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    return int(number) % 97 == 1


# Words that name a role or a desk, not a person: an address with one of them is a functional mailbox.
FUNCTIONAL_MAILBOXES = frozenset("""
    info informatie team teams buurtteam buurtteams wijkteam contact secretariaat servicedesk helpdesk
    receptie administratie redactie noreply no-reply post mail office support algemeen klantenservice
    aanmelden aanmeldingen planning communicatie pers privacy avg klachten vragen loket meldpunt bureau
    balie hr personeelszaken facturen financien inkoop webmaster beheer service centraal intranet
    vacatures werving juridisch kcc frontoffice backoffice coordinatie regie
""".split())
_MAILBOX_PARTS = re.compile(r"[._+-]")


def functional_mailbox(address: str) -> bool:
    """info@…, team.west@…: a mailbox of a team or desk. j.jansen@… or jan.jansen@… is a person."""
    local = address.split("@", 1)[0].lower()
    parts = [p for p in _MAILBOX_PARTS.split(local) if p]
    return any(p in FUNCTIONAL_MAILBOXES for p in parts) and not any(len(p) == 1 for p in parts)


@dataclass(frozen=True)
class PrivacyCheck:
    rule: str
    pattern: re.Pattern
    keep: Callable[[re.Match], bool]
    message: str
    contact_ok: bool = False  # allowed inside a partner's `contact:` block


CHECKS = [
    PrivacyCheck(
        "privacy.bsn",
        re.compile(r"(?<![\w.,-])(\d{4}[ .]?\d{2}[ .]?\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?![\w]|[.,-]\d)"),
        lambda m: elfproef(re.sub(r"\D", "", m.group(1))),
        "dit lijkt een burgerservicenummer (BSN); zet geen persoonsgegevens van Amsterdammers in BUUT "
        "(werkkader §2.6)"),
    PrivacyCheck(
        "privacy.iban",
        re.compile(r"(?<![\w])([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?)(?![\w])", re.I),
        lambda m: iban_valid(m.group(1)),
        "dit lijkt een rekeningnummer (IBAN); zet geen persoonsgegevens van Amsterdammers in BUUT "
        "(werkkader §2.6)"),
    PrivacyCheck(
        "privacy.geboortedatum",
        re.compile(rf"(?:\bgeboren\b|\bgeb\.|\bgeboortedatum\b|\bgeboortedag\b)[^\n;]{{0,40}}?\b({_DATE})\b"
                   rf"|\b({_DATE})\b[^\n;]{{0,15}}?\b(?:geboren)\b", re.I),
        lambda m: True,
        "dit lijkt een geboortedatum; noem in een casus alleen een voornaam en een leeftijd (werkkader §2.6)"),
    PrivacyCheck(
        "privacy.e-mail",
        re.compile(r"(?<![\w.+-])([\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,})", re.I),
        lambda m: not functional_mailbox(m.group(1)),
        "e-mailadres in de inhoud; contactgegevens van een organisatie horen in het 'contact:'-blok van "
        "haar partnerbestand, gegevens van personen nergens", contact_ok=True),
    PrivacyCheck(
        "privacy.telefoon",
        re.compile(r"(?<![\w+.,/-])((?:\+31[ .-]?|0031[ .-]?|0)[1-9](?:[ .-]?\(?\d\)?){7,9})(?![\w]|[.,/-]\d)"),
        lambda m: Phone.valid(m.group(1).replace("0031", "+31", 1)),
        "telefoonnummer in de inhoud; contactgegevens van een organisatie horen in het 'contact:'-blok van "
        "haar partnerbestand, gegevens van personen nergens", contact_ok=True),
]


def contact_spans(yaml_text: str) -> list[tuple[int, int]]:
    """Where the top-level `contact:` block of a partner file is (start, end offsets)."""
    return [m.span() for m in re.finditer(r"^contact:[^\n]*\n(?:(?:[ \t]+[^\n]*|[ \t]*)\n?)*", yaml_text, re.M)]


def check_privacy(text: str, path: str, allow_contact: list[tuple[int, int]] | None = None) -> list[Finding]:
    """Every privacy finding in a file's text, with line and column."""
    visible = text
    for pattern in IGNORED:
        if "buut:" in visible:
            visible = pattern.sub(blank, visible)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    findings = []
    claimed: list[tuple[int, int]] = []  # a number inside an IBAN is not also a phone number
    for check in CHECKS:
        for match in check.pattern.finditer(visible):
            if not check.keep(match):
                continue
            group = next(g for g in range(1, match.re.groups + 1) if match.group(g) is not None)
            start, end = match.span(group)
            if check.contact_ok and allow_contact and any(a <= start < b for a, b in allow_contact):
                continue
            if any(a < end and start < b for a, b in claimed):
                continue
            claimed.append((start, end))
            line = bisect.bisect_right(starts, start) - 1
            findings.append(Finding(path, line + 1, start - starts[line] + 1, Level.ERROR, check.message,
                                    check.rule, end_column=end - starts[line] + 1, match=text[start:end]))
    return sorted(findings, key=lambda f: (f.line, f.column))
