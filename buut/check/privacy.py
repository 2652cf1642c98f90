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

from buut.load.prose import IGNORED, blank
from buut.model import Finding, Level
from buut.load.schema import Phone

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


def check_privacy(text: str, path: str, allow_contact: list[tuple[int, int]] | None = None,
                  markers: bool = True) -> list[Finding]:
    """Every privacy finding in a file's text, with line and column.

    `markers=False`: `<!-- buut: negeer -->` switches nothing off (text from medewerkers, see
    `free_text_findings`)."""
    visible = text
    for pattern in IGNORED if markers else ():
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


# -- Free text from medewerkers: feedback and searches ------------------------------------------------
#
# Stricter than the lint on content, because nobody reviews it before it is stored and shown on the
# Redactie page: no opt-out marker; spacing, separators, markup and spelled-out forms are normalised
# first ("1234-56-782", "j at gmail dot com", "+31 (0)6 …", "geb 12-03-1980"); and names after a
# title or salutation and Dutch addresses count too. Where a pattern cannot be sure (a capitalised
# word after "mevrouw", a number after a street name) it refuses: the medewerker can always write
# "de cliënt" or "in de buurt" instead, and is told so.

_MARKUP = re.compile(r"<!--.*?(?:-->|\Z)|\{#.*?(?:#\}|\Z)|<[^<>]{0,300}>", re.S)
_SEPARATED_DIGITS = re.compile(r"(?<!\d)(?<!\d[ .\-/_])\d(?:[ .\-/_]{0,2}\d){8}(?![ .\-/_]{0,2}\d)")
_PHONE_LIKE = re.compile(r"(?:\+|00)?\d(?:[ .\-/()]{0,3}\d){8,12}")
_AT = r"\s*(?:@|[(\[{]\s*(?:at|apenstaartje)\s*[)\]}]|\s(?:at|apenstaartje)\s)\s*"
_DOT = r"\s*(?:\.|[(\[{]\s*(?:dot|punt)\s*[)\]}]|\s(?:dot|punt)\s)\s*"
_SPELLED_EMAIL = re.compile(rf"([\w.+-]+){_AT}([\w-]+(?:{_DOT}[\w-]+)*){_DOT}([a-z]{{2,}})\b", re.I)
_DATE_LOOSE = (r"\d{1,2}\s*[-/.\s]\s*\d{1,2}\s*[-/.\s]\s*(?:19|20)?\d{2}"
               rf"|\d{{1,2}}\s+(?:{MONTHS})\.?\s+(?:19|20)?\d{{2}}")
_BIRTH_WORDS = r"\bgeb(?:oren)?\b\.?|\bgeboorte(?:datum|dag)\b|\bgeb\.?\s*dat(?:um)?\b|\bverjaardag\b|\bjarig\b"
_BIRTH = re.compile(rf"(?:{_BIRTH_WORDS})[^\n;]{{0,30}}?(?<!\d)(?:{_DATE_LOOSE})(?!\d)"
                    rf"|(?<!\d)(?:{_DATE_LOOSE})(?!\d)[^\n;]{{0,15}}?\bgeboren\b", re.I)
# A full date before 2010 in a report about a page is almost always someone's date of birth.
_OLD_DATE = re.compile(rf"(?<!\d)\d{{1,2}}\s*(?:[-/.]\s*\d{{1,2}}\s*[-/.]|\s+(?:{MONTHS})\.?\s+)\s*"
                       r"(?:19\d\d|200\d)(?!\d)", re.I)
_SALUTATION = (r"(?i:\b(?:meneer|mijnheer|mevrouw|mevr\.?|mw\.?|mr\.?|dhr\.?|de\s+heer|heer|familie|fam\.?"
               r"|juffrouw|mejuffrouw|mevrouwtje))")
_NAME = re.compile(rf"{_SALUTATION}\s+(?:[A-Z]\.\s*)*(?:(?i:van|de|der|den|el|al|ten|ter|te|la|le|da|du)\s+)*"
                   r"[A-ZÀ-Ý][\w'’-]+")
_STREET = re.compile(r"(?i:\b[\w'’.-]{2,}(?:straat|laan|weg|plein|gracht|kade|dijk|pad|steeg|hof|singel|dreef"
                     r"|plantsoen|park|markt|baan|boulevard|allee|wal|burgwal|kanaal|dam|erf|kwartier|dwarsstraat"
                     r"|straatweg|poort|brug|eiland|haven|veld))\s+\d{1,5}(?:\s?[a-zA-Z]\b|-\w+)?(?!\w)")
_NOT_STREETS = {"onderweg", "halfweg", "midweg", "dwarsweg", "toeweg", "weg"}
_POSTCODE = re.compile(r"(?<!\w)[1-9]\d{3}(?:\s?[A-Z]{2}|[a-z]{2})(?!\w)")

FREE_TEXT_KINDS = {"privacy.bsn": "een burgerservicenummer", "privacy.iban": "een rekeningnummer",
                   "privacy.geboortedatum": "een geboortedatum", "privacy.e-mail": "een e-mailadres",
                   "privacy.telefoon": "een telefoonnummer", "privacy.naam": "een naam",
                   "privacy.adres": "een adres", "privacy.postcode": "een postcode"}


def normalise_free_text(text: str) -> str:
    """The text as a reader would see it: compatibility forms folded (full-width digits), invisible
    characters, markup and comments gone."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf"))
    return _MARKUP.sub("", text)


def free_text_findings(text: str) -> list[str]:
    """The rules (`privacy.…`) that text from a medewerker breaks, in a fixed order, none if clean."""
    found: list[str] = []
    for variant in dict.fromkeys((text, normalise_free_text(text))):
        found += [f.rule for f in check_privacy(variant, "tekst", markers=False)]
        for match in _SEPARATED_DIGITS.finditer(variant):
            if elfproef(re.sub(r"\D", "", match.group())):
                found.append("privacy.bsn")
        for match in _PHONE_LIKE.finditer(variant.replace("(0)", "")):
            digits = re.sub(r"\D", "", match.group())
            if match.group().startswith("+") or digits.startswith("0031"):
                digits = "0" + digits[4 if digits.startswith("0031") else 2:]
            if re.fullmatch(r"0[1-9]\d{8}", digits):
                found.append("privacy.telefoon")
        for match in _SPELLED_EMAIL.finditer(variant):
            if not functional_mailbox(match.group(1) + "@x"):
                found.append("privacy.e-mail")
        if _BIRTH.search(variant) or _OLD_DATE.search(variant):
            found.append("privacy.geboortedatum")
        if _NAME.search(variant):
            found.append("privacy.naam")
        if any(m.group().split()[0].lower() not in _NOT_STREETS for m in _STREET.finditer(variant)):
            found.append("privacy.adres")
        if _POSTCODE.search(variant):
            found.append("privacy.postcode")
    order = list(FREE_TEXT_KINDS)
    return sorted(set(found), key=order.index)
