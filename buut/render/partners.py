"""Pages made from `partners/*.yml`: one per partner, overviews, an index and a completeness report.

`site` is "intranet" or "publiek". The public variant never receives an internal partner or an
`intern:` value: they are left out here, at the source, not hidden later.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from buut.model import DOMEINEN, STADSDELEN, Partner
from buut.check.validate import werkkader_sections
from buut.render.common import cell, datum, generated, link

if TYPE_CHECKING:  # pragma: no cover
    from buut.model import Page
    from buut.check.project import Project

OVERZICHT_URI = "partners/index.md"
STADSDELEN_URI = "partners/stadsdelen.md"
INDEX_URI = "partners/wie-schakel-ik-in.md"
VOLLEDIGHEID_URI = "partners/volledigheid.md"

STADSDEEL_LABEL = {"alle": "Heel Amsterdam", "centrum": "Centrum", "noord": "Noord", "nieuw-west": "Nieuw-West",
                   "oost": "Oost", "west": "West", "zuid": "Zuid", "zuidoost": "Zuidoost"}
CONTACT_LABELS = (("website", "Website"), ("telefoon", "Telefoon"), ("email", "E-mail"), ("adres", "Adres"))
MELDEN_TITEL = "Contactgegevens doorgeven"
MELDEN_TEKST = {
    "intranet": "Weet je hoe deze organisatie te bereiken is? Geef het door aan de redactie partners via de "
                "feedback op deze pagina. De redactie controleert het en zet het hier.",
    "publiek": "Werkt u bij deze organisatie? Geef uw contactgegevens door aan het buurtteam in uw stadsdeel. "
               "De redactie controleert ze en zet ze hier.",
    # with the public team pages. The sources name no public mailbox: the form under every public page
    # ("Klopt er iets niet op deze pagina?", buut/serve/correctie.py) sends the report to the editors' worklist.
    # It refuses phone numbers (the privacy check of all free text), so the note asks for what it takes.
    "publiek-teams": "Werkt u bij deze organisatie? Geef uw contactgegevens door onder \"Klopt er iets niet op "
                     "deze pagina?\" onderaan deze pagina: uw bericht gaat naar de redactie, die de gegevens "
                     "controleert en hier zet. Noem de website of een algemeen e-mailadres (zoals info@…); een "
                     "telefoonnummer neemt het formulier niet aan. Het buurtteam in uw stadsdeel vindt u bij de "
                     "[buurtteams per stadsdeel](../teams/index.md).",
}


def uri(partner: Partner) -> str:
    return f"partners/{partner.id}.md"


def visible(project: "Project", site: str) -> list[Partner]:
    partners = sorted(project.partners, key=lambda p: p.naam.lower())
    return partners if site == "intranet" else [p for p in partners if p.publiek]


def partner_markdown(partner: Partner, project: "Project", site: str) -> str:
    here = uri(partner)
    out = [f"# {partner.label}", "", partner.omschrijving.strip(), ""]
    domeinen = ", ".join(f"[{DOMEINEN[d][0]}]({link(here, OVERZICHT_URI, d)})" for d in partner.domein)
    stadsdelen = ", ".join(STADSDEEL_LABEL[s] for s in partner.stadsdelen)
    out += [f"**Domein:** {domeinen}  ", f"**Werkgebied:** {stadsdelen}"]
    if partner.teams_bij_start:
        out[-1] += "  "
        out.append(f"**Aantal buurtteams bij de start (april 2021):** {partner.teams_bij_start}")
    out.append("")
    for title, items in (("Wat biedt deze partner?", partner.aanbod),
                         ("Wanneer schakelt het buurtteam deze partner in?", partner.wanneer_inschakelen),
                         ("Afspraken over de samenwerking", partner.samenwerkingsafspraken)):
        if items:
            out += [f"## {title}", ""] + [f"- {item}" for item in items] + [""]
    out += _contact_blok(partner, "publiek-teams" if site == "publiek" and project.teams else site)
    if site == "intranet":
        out += _intern_blok(partner)
        out += _werkinstructies_blok(partner, project, here)
    out += _bron_blok(partner, project, here)
    return "\n".join(out)


def website_link(url: str) -> str:
    """A web address as a link the reader can follow (a link loads nothing from another host)."""
    return f"[{url}]({url})"


def _contact_blok(partner: Partner, site: str) -> list[str]:
    """Only verified values; without any, no empty block but a way to report them."""
    contact = partner.contact
    shown = [(label, website_link(getattr(contact, key)) if key == "website" else getattr(contact, key))
             for key, label in CONTACT_LABELS if getattr(contact, key)]
    if not shown:
        return [f'!!! tip buut-melden "{MELDEN_TITEL}"', f"    {MELDEN_TEKST[site]}", ""]
    out = ["## Contact", ""] + [f"- **{label}:** {value}" for label, value in shown]
    if contact.geverifieerd_op:
        out.append(f"- _Gecontroleerd op {datum(contact.geverifieerd_op)}_")
    return out + [""]


def _intern_blok(partner: Partner) -> list[str]:
    intern = partner.intern
    body = []
    if intern.contactpersonen:
        body += ["**Vaste contactpersonen**", ""] + [f"- {c}" for c in intern.contactpersonen] + [""]
    if intern.afspraken:
        body += ["**Interne afspraken**", ""] + [f"- {a}" for a in intern.afspraken] + [""]
    if intern.notities:
        body += ["**Notities**", "", " ".join(intern.notities.split()), ""]
    if not body:
        return []  # nothing recorded yet: no empty box for medewerkers (the worklist has it)
    return ['!!! intern "Intern: alleen voor medewerkers"'] + [f"    {line}" if line else "" for line in body] + [""]


def _werkinstructies_blok(partner: Partner, project: "Project", here: str) -> list[str]:
    used = [v for v in project.voorzieningen
            if partner.id in v.partners or any(r.partner == partner.id for r in v.toegang)]
    if not used:
        return []
    return (["## In de werkinstructies", ""]
            + [f"- [{v.naam}]({link(here, v.uri)})" for v in used] + [""])


def _bron_blok(partner: Partner, project: "Project", here: str) -> list[str]:
    sections = werkkader_sections(project.content.pages)
    refs = [f"[§{n}]({link(here, sections[str(n)].uri, sections[str(n)].anchor)})"
            for n in partner.werkkader if str(n) in sections]
    out = []
    if refs:
        out.append("Meer in het werkkader: " + ", ".join(refs) + ".")
    if partner.bron:
        out += ["", f"_Bron: {partner.bron}_"]
    return out + [""]


def overzicht_markdown(project: "Project", site: str) -> str:
    here = OVERZICHT_URI
    partners = visible(project, site)
    out = [
        "# Partners",
        "",
        "De organisaties waarmee de buurtteams samenwerken (werkkader hoofdstuk 3), per domein. Zie ook",
        f"[partners per stadsdeel]({link(here, STADSDELEN_URI)}) en",
        f"[wie schakel ik in bij …?]({link(here, INDEX_URI)}).",
        "",
    ]
    sections = werkkader_sections(project.content.pages)
    for domein, (label, section) in DOMEINEN.items():
        chosen = [p for p in partners if domein in p.domein]
        if not chosen:
            continue
        out += [f"## {label} {{ #{domein} }}", ""]
        if section and section in sections:
            target = sections[section]
            out += [f"_Werkkader [§{section}]({link(here, target.uri, target.anchor)})_", ""]
        out += [f"- [{p.label}]({link(here, uri(p))})" for p in chosen] + [""]
    return "\n".join(out)


def stadsdelen_markdown(project: "Project", site: str) -> str:
    here = STADSDELEN_URI
    partners = visible(project, site)
    out = ["# Partners per stadsdeel", "",
           "Welke partners werken waar? De meeste werken in heel Amsterdam; die staan bovenaan.", ""]
    for stadsdeel in ("alle",) + STADSDELEN:
        chosen = [p for p in partners if stadsdeel in p.stadsdelen]
        if chosen:
            out += [f"## {STADSDEEL_LABEL[stadsdeel]} {{ #{stadsdeel} }}", ""]
            out += [f"- [{p.label}]({link(here, uri(p))})" for p in chosen] + [""]
    return "\n".join(out)


def _situation_key(text: str) -> str:
    """Sort a situation on what it is about, not on "als" or "bij" that most of them start with."""
    return re.sub(r"^(?:als|bij|wanneer|voor|een|de|het)\s+", "", text.casefold())


def index_markdown(project: "Project", site: str) -> str:
    """'Wie schakel ik in bij …?': every situation from `wanneer_inschakelen`, grouped by theme.

    The themes are the domains of werkkader chapter 3 (`DOMEINEN`, in that order); a partner in
    two domains is listed under both, so a reader finds it wherever they look first.
    """
    here = INDEX_URI
    by_theme: dict[str, list[tuple[str, Partner]]] = defaultdict(list)
    for partner in visible(project, site):
        for situation in partner.wanneer_inschakelen:
            text = " ".join(situation.split()).rstrip(".;")
            for domein in partner.domein:
                by_theme[domein].append((text, partner))
    themes = [d for d in DOMEINEN if by_theme.get(d)]
    out = ["# Wie schakel ik in bij …?", "",
           "Zoek de situatie bij het thema waar die over gaat; erachter staat welke partner het buurtteam",
           "dan inschakelt.", ""]
    if themes:
        out += ["**Thema's:** " + " · ".join(f"[{DOMEINEN[d][0]}](#{d})" for d in themes), ""]
    for domein in themes:
        out += [f"## {DOMEINEN[domein][0]} {{ #{domein} }}", ""]
        for text, partner in sorted(by_theme[domein], key=lambda item: _situation_key(item[0])):
            out.append(f"- {text[:1].upper()}{text[1:]}: [{partner.label}]({link(here, uri(partner))})")
        out.append("")
    return "\n".join(out)


def volledigheid(project: "Project") -> list[tuple[Partner, tuple[str, ...]]]:
    """Partners without verified contact data, with the fields that are missing."""
    report = []
    for partner in sorted(project.partners, key=lambda p: p.naam.lower()):
        missing = partner.contact.ontbrekend()
        if missing or partner.contact.geverifieerd_op is None:
            report.append((partner, missing))
    return report


def volledigheid_markdown(project: "Project") -> str:
    here = VOLLEDIGHEID_URI
    report = volledigheid(project)
    total = len(project.partners)
    out = ["# Volledigheid van de partnergegevens", "",
           f"Van de {total} partners hebben er {total - len(report)} volledige, gecontroleerde",
           f"contactgegevens; bij {len(report)} ontbreekt iets. Vul alleen gegevens in die je zelf hebt",
           "nagegaan, en zet de datum in `contact: geverifieerd_op:`.", "",
           "| Partner | Ontbreekt | Bestand |", "|---|---|---|"]
    for partner, missing in report:
        gaps = list(missing) + ([] if partner.contact.geverifieerd_op else ["datum van controle"])
        out.append(f"| [{cell(partner.naam)}]({link(here, uri(partner))}) | {cell(', '.join(gaps))} "
                   f"| `{partner.path}` |")
    return "\n".join(out) + "\n"


def pages(project: "Project", site: str) -> list["Page"]:
    zicht = "publiek" if site == "publiek" else "intern"
    result = [generated(uri(p), p.naam, partner_markdown(p, project, site), "partner", ("partners",),
                        p.zichtbaarheid, p.bron, "redactie-partners")
              for p in visible(project, site)]
    result += [
        generated(OVERZICHT_URI, "Partners", overzicht_markdown(project, site), "partner", ("partners",),
                  zicht, "werkkader hoofdstuk 3", "redactie-partners"),
        generated(STADSDELEN_URI, "Partners per stadsdeel", stadsdelen_markdown(project, site), "partner",
                  ("partners",), zicht, "", "redactie-partners"),
        generated(INDEX_URI, "Wie schakel ik in bij …?", index_markdown(project, site), "partner",
                  ("partners",), zicht, "", "redactie-partners"),
    ]
    if site == "intranet":
        result.append(generated(VOLLEDIGHEID_URI, "Volledigheid partnergegevens", volledigheid_markdown(project),
                                "partner", ("medewerkers",), "intern", "", "redactie-partners"))
    return result
