"""Load, teams: `teams/<id>.yml`, one buurtteam (or one stadsdeel's buurtteams) per file.

The sources name the buurtteamorganisatie and the number of teams per stadsdeel, not the teams
themselves, so BUUT starts with one file per stadsdeel; a file per team can follow as soon as
someone has verified a team's data. Only verified values are filled in: an empty field is not
shown on the page but listed in the editors' worklist (`buut/render/worklist.py`). The number of teams
and the opening hours are not repeated here: they come from the buurtteamorganisatie (partners/)
and the werkkader.
"""
from __future__ import annotations

from pathlib import Path

from buut.load import policy
from buut.model import STADSDELEN, TEAM_CONTACTROLLEN, Finding, Level, Partner, Team, TeamContact
from buut.load.partners import ID_PATTERN, read_record
from buut.load.schema import Choice, Email, ListOf, Nested, Phone, Ref, Schema, Text

TEAMS_DIR = "teams"

CONTACTPERSOON = Schema("een vaste contactpersoon", {
    "naam": Text(allow_empty=True, help="Naam of functie, alleen als die is nagegaan."),
    "telefoon": Phone(help="Zakelijk telefoonnummer."),
    "e-mail": Email(help="Zakelijk e-mailadres (liefst een functioneel adres)."),
})

TEAM = Schema("een team", {
    "naam": Text(required=True, help="Naam van het team, of 'Buurtteams <stadsdeel>'."),
    "stadsdeel": Choice(STADSDELEN, required=True, help="Het stadsdeel van het team."),
    "buurtteamorganisatie": Ref(required=True, pattern=ID_PATTERN.pattern,
                                pattern_help="het id van de buurtteamorganisatie in partners/, zoals buurtteam-oost",
                                help="Id van de buurtteamorganisatie (een bestand in partners/)."),
    "locaties": ListOf(Text(), help="Buurtteamlocaties (adres), alleen nagegaan."),
    "spreeklocaties": ListOf(Text(), help="Plekken in de wijk waar het team spreekuur houdt."),
    "bereikbaarheid": Text(allow_empty=True, help="Bereikbaarheid 's avonds en in het weekend (verschilt per team)."),
    "contacten": Nested(Schema("de vaste contacten", {rol: Nested(CONTACTPERSOON, help=label)
                                                      for rol, label in TEAM_CONTACTROLLEN.items()}),
                        help="Vaste contacten van het team: " + ", ".join(TEAM_CONTACTROLLEN) + "."),
    "open_punten": ListOf(Text(), help="Wat de redactie nog moet uitzoeken; alleen in de werklijst."),
})


def parse_team(path: Path, shown: str, findings: list[Finding]) -> Team | None:
    record = read_record(path, shown, TEAM, "team", "oost.yml", findings)
    if record is None:
        return None
    data, clean, problems = record
    findings.extend(Finding(p.path, p.line, p.column, p.level, p.message, "team.schema") for p in problems.found)
    if problems.found:
        return None
    contacten = clean["contacten"] or {}
    return Team(
        id=path.stem, naam=clean["naam"], stadsdeel=clean["stadsdeel"],
        buurtteamorganisatie=clean["buurtteamorganisatie"], path=shown,
        locaties=tuple(clean["locaties"] or ()), spreeklocaties=tuple(clean["spreeklocaties"] or ()),
        bereikbaarheid=clean["bereikbaarheid"] or "",
        contacten=tuple(TeamContact(rol, (c or {}).get("naam") or "", (c or {}).get("telefoon") or "",
                                    (c or {}).get("e-mail") or "")
                        for rol, c in contacten.items() if c),
        open_punten=tuple(clean["open_punten"] or ()),
        line=getattr(data, "line", 1),
    )


def load_teams(root: Path) -> tuple[list[Team], list[Finding]]:
    findings: list[Finding] = []
    teams: list[Team] = []
    base = root / TEAMS_DIR
    if not base.is_dir():
        return teams, findings
    for path in sorted(base.iterdir()):
        if path.is_file() and path.suffix == ".yml" and not policy.ignored(path.name):
            team = parse_team(path, f"{TEAMS_DIR}/{path.name}", findings)
            if team is not None:
                teams.append(team)
    return teams, findings


def validate_teams(teams: list[Team], partners: list[Partner]) -> list[Finding]:
    """The buurtteamorganisatie is a known partner of the buurtteams domain, in the same stadsdeel."""
    known = {p.id: p for p in partners}
    findings = []
    for team in teams:
        ref = team.buurtteamorganisatie
        partner = known.get(ref)
        if partner is None or "buurtteams" not in partner.domein:
            choices = ", ".join(sorted(p.id for p in partners if "buurtteams" in p.domein))
            findings.append(Finding(team.path, getattr(ref, "line", 1), 1, Level.ERROR,
                                    f"buurtteamorganisatie '{ref}' bestaat niet in partners/ (kies uit: {choices})",
                                    "team.verwijzing"))
        elif team.stadsdeel not in partner.stadsdelen:
            findings.append(Finding(team.path, getattr(ref, "line", 1), 1, Level.ERROR,
                                    f"'{ref}' werkt niet in stadsdeel '{team.stadsdeel}'", "team.verwijzing"))
    return findings
