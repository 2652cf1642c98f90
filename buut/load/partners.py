"""Load, partners: `partners/<id>.yml`, one organisation per file, read and validated.

The file name is the id. Public fields are what a partner organisation may read on the public
site; `intern:` is for the intranet only. `contact` holds only values someone verified: an empty
field is fine (and is listed in the completeness report), an invalid one is an error.
"""
from __future__ import annotations

import re
from pathlib import Path

from buut.load import policy, spreektaal, yamlio
from buut.load.content import read_text
from buut.model import DOMEINEN, STADSDELEN, ZICHTBAARHEDEN, Contact, Finding, Intern, Level, Partner
from buut.load.schema import (
    Choice,
    Date,
    Email,
    Int,
    Invalid,
    ListOf,
    Nested,
    Phone,
    Problems,
    Ref,
    Schema,
    Text,
    Url,
)
from buut.load.voorzieningen import SECTION
from buut.load import wijzigingen

PARTNERS_DIR = "partners"
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")

CONTACT = Schema("contact", {
    "website": Url(help="Webadres, begint met https://."),
    "telefoon": Phone(help="Nederlands telefoonnummer."),
    "e-mail": Email(help="Algemeen e-mailadres van de organisatie (geen persoonlijk adres)."),
    "adres": Text(allow_empty=True, help="Bezoekadres."),
    "geverifieerd_op": Date(help="Datum waarop iemand deze gegevens controleerde."),
})

INTERN = Schema("intern", {
    "contactpersonen": ListOf(Text(), help="Vaste contactpersonen (alleen intranet)."),
    "afspraken": ListOf(Text(), help="Interne werkafspraken (alleen intranet)."),
    "notities": Text(allow_empty=True, help="Notities voor redacteuren en medewerkers (alleen intranet)."),
})

PARTNER = Schema("een partner", {
    "naam": Text(required=True, help="Naam van de organisatie."),
    "afkorting": Text(allow_empty=True, help="Gangbare afkorting, zoals OKT."),
    "zichtbaarheid": Choice(ZICHTBAARHEDEN, default="intern", help="`publiek`: ook op de site voor partners."),
    "domein": ListOf(Choice(DOMEINEN), single_ok=True, allow_empty=False, required=True,
                     help="Domeinen uit hoofdstuk 3 van het werkkader."),
    "omschrijving": Text(required=True, help="Wat de organisatie is en doet, in één of twee zinnen."),
    "aanbod": ListOf(Text(), help="Wat de organisatie biedt."),
    "wanneer_inschakelen": ListOf(Text(), help="Wanneer een medewerker deze partner inschakelt."),
    "samenwerkingsafspraken": ListOf(Text(), help="Wat met de buurtteams is afgesproken."),
    "werkkader": ListOf(Ref(**SECTION), help="Paragrafen van het werkkader over deze partner."),
    "stadsdelen": ListOf(Choice(("alle",) + STADSDELEN), single_ok=True, allow_empty=False, default=("alle",),
                         help="Waar de partner werkt; `alle` voor heel Amsterdam."),
    "contact": Nested(CONTACT, help="Openbare, gecontroleerde contactgegevens; leeg laten wat niet is gecontroleerd."),
    "intern": Nested(INTERN, help="Alleen op het intranet, gemarkeerd als intern."),
    "bron": Text(help="De bron, met paragraaf."),
    "teams_bij_start": Int(minimum=1, help="Alleen voor buurtteamorganisaties: aantal teams bij de start."),
    "open_punten": ListOf(Text(), help="Wat de redactie nog moet uitzoeken; alleen in de werklijst van de redactie."),
    "spreektaal": spreektaal.field(),
    "wijzigingen": wijzigingen.WIJZIGINGEN,
})


def read_record(path: Path, shown: str, schema: Schema, kind: str, example: str, findings: list[Finding]):
    """A one-record YAML file whose name is its id (a partner, a team): (data, clean, problems) or None.

    Problems of the schema are left in `problems`, so the caller can add its own before reporting.
    """
    if not ID_PATTERN.fullmatch(path.stem):
        findings.append(Finding(shown, 1, 1, Level.ERROR,
                                f"bestandsnaam '{path.name}' is geen geldig id: gebruik kleine letters, cijfers en "
                                f"streepjes, zoals {example}", f"{kind}.id"))
        return None
    text = read_text(path, shown, findings)
    if text is None:
        return None
    try:
        data = yamlio.load(text)
    except yamlio.YamlProblem as problem:
        findings.append(problem.finding(shown, f"{kind}.yaml"))
        return None
    problems = Problems(shown, [])
    try:
        clean = schema.validate(data, 1, problems)
    except Invalid as invalid:
        findings.append(Finding(shown, 1, 1, Level.ERROR, invalid.message, f"{kind}.schema"))
        return None
    return data, clean, problems


def parse_partner(path: Path, shown: str, findings: list[Finding]) -> Partner | None:
    record = read_record(path, shown, PARTNER, "partner", "veilig-thuis.yml", findings)
    if record is None:
        return None
    data, clean, problems = record
    partner_id = path.stem
    if clean["teams_bij_start"] is not None and "buurtteams" not in (clean["domein"] or ()):
        problems.add(data.line_of("teams_bij_start"), "'teams_bij_start' hoort alleen bij domein 'buurtteams'")
    findings.extend(Finding(p.path, p.line, p.column, p.level, p.message, "partner.schema") for p in problems.found)
    if problems.found:
        return None
    contact = clean["contact"] or {}
    intern = clean["intern"] or {}
    return Partner(
        id=partner_id,
        naam=clean["naam"],
        omschrijving=clean["omschrijving"],
        domein=clean["domein"],
        path=shown,
        zichtbaarheid=clean["zichtbaarheid"],
        afkorting=clean["afkorting"] or "",
        aanbod=clean["aanbod"] or (),
        wanneer_inschakelen=clean["wanneer_inschakelen"] or (),
        samenwerkingsafspraken=clean["samenwerkingsafspraken"] or (),
        werkkader=clean["werkkader"] or (),
        stadsdelen=clean["stadsdelen"],
        contact=Contact(website=contact.get("website") or "", telefoon=contact.get("telefoon") or "",
                        email=contact.get("e-mail") or "", adres=contact.get("adres") or "",
                        geverifieerd_op=contact.get("geverifieerd_op")),
        intern=Intern(contactpersonen=intern.get("contactpersonen") or (), afspraken=intern.get("afspraken") or (),
                      notities=intern.get("notities") or ""),
        bron=clean["bron"] or "",
        teams_bij_start=clean["teams_bij_start"],
        open_punten=tuple(clean["open_punten"] or ()),
        line=getattr(data, "line", 1),
        spreektaal=spreektaal.entries(clean["spreektaal"]),
        wijzigingen=wijzigingen.from_clean(clean["wijzigingen"], data.get("wijzigingen")),
    )


def load_partners(root: Path) -> tuple[list[Partner], list[Finding]]:
    """Every partner file, sorted by id; duplicates (same id in any case, or same name) are errors."""
    findings: list[Finding] = []
    partners: list[Partner] = []
    base = root / PARTNERS_DIR
    if not base.is_dir():
        return partners, findings
    for path in sorted(base.iterdir()):
        shown = f"{PARTNERS_DIR}/{path.name}"
        if path.is_dir() or policy.ignored(path.name):
            continue
        if path.suffix == ".yaml":
            findings.append(Finding(shown, 1, 1, Level.ERROR, "partnerbestanden eindigen op .yml, niet .yaml",
                                    "partner.id"))
            continue
        if path.suffix != ".yml":
            continue
        partner = parse_partner(path, shown, findings)
        if partner is not None:
            partners.append(partner)
    seen_ids: dict[str, Partner] = {}
    seen_names: dict[str, Partner] = {}
    for partner in partners:
        key = partner.id.lower()
        if key in seen_ids:
            findings.append(Finding(partner.path, 1, 1, Level.ERROR,
                                    f"dubbel id: '{partner.id}' bestaat al ({seen_ids[key].path})", "partner.dubbel"))
        seen_ids.setdefault(key, partner)
        name = " ".join(partner.naam.lower().split())
        if name in seen_names:
            findings.append(Finding(partner.path, partner.line, 1, Level.ERROR,
                                    f"dubbele partner: '{partner.naam}' staat ook in {seen_names[name].path}",
                                    "partner.dubbel"))
        seen_names.setdefault(name, partner)
    return partners, findings
