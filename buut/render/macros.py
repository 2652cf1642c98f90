"""The macros editors may call in a page, such as `{{ toegang_tabel() }}`: data, never code.

A page is data, even when it comes from a pull request by anyone. So a page's `{{ … }}` is not a
template that runs: Jinja (its sandboxed environment, with no globals) only *parses* the page, and
BUUT walks the parsed tree. One shape is allowed, `{{ naam(waarde, …) }}`, where `naam` is one of
`MACROS` and every argument a plain text, number or true/false. Everything else Jinja could do —
attributes (`x.y`, `x.__class__`), filters, tests, loops, `set`, `include`, `import`, `extends`,
macro definitions, variables such as `config` or `environ` — is refused with the line it is on,
before anything is called. So nothing can reach Python objects, files, the environment or the
shell, and the work a page can cause is bounded by its number of calls.

`{% raw %}…{% endraw %}` writes `{{` literally. A Jinja comment `{# … #}` is refused: Jinja
would leave it out of the page, so its text would pass no check while the pieces around it join
(`1234{# #}56782` is a BSN on the site that the privacy check never saw).

- `check_macros(page)`: findings for every macro call that is not allowed (used by `buut check`);
- `render_macros(text, view, here, path, first_line)`: the page with each call replaced by its
  result; raises `MacroError` (a Finding) for the first problem.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from buut import render
from buut.load.policy import MAX_MACRO_CALLS
from buut.model import Finding, Level, Page
from buut.render import voorzieningen as v

if TYPE_CHECKING:  # pragma: no cover
    from buut.check.project import Project

RULE = "macro"
MARKERS = ("{{", "{%", "{#")


@dataclass(frozen=True)
class Macro:
    """One name an editor can call. `function(view, here, *arguments)` returns Markdown or HTML."""

    function: Callable[..., str]
    help: str

    def parameters(self) -> list[inspect.Parameter]:
        return list(inspect.signature(self.function).parameters.values())[2:]


def _werkproces_diagram(view: "Project", here: str) -> str:
    document = here == render.werkkader_document.URI  # the steps' headings carry their chapter's prefix there
    prefix = render.werkkader_document.diagram_anchor_prefix(view) if document else ""
    return render.werkproces_diagram(render.load_werkproces(view.root), anchor_prefix=prefix)


def _toegang_tabel(view: "Project", here: str) -> str:
    return v.toegang_tabel(view, here)


def _voorziening(view: "Project", here: str, ident: str, veld: str = "link") -> str:
    return v.voorziening_veld(view, ident, veld, here)


def _voorzieningen_bij_stap(view: "Project", here: str, stap: str) -> str:
    return v.bij_stap_blok(view, stap, here)


def _partner(view: "Project", here: str, ident: str) -> str:
    found = view.partner(ident)
    if found is None:
        raise ValueError(f"onbekende partner '{ident}'")
    return f"[{found.label}]({render.common.link(here, render.partners.uri(found))})"


def _stand(view: "Project", here: str, datum: str) -> str:
    return render.common.stand(datum)


def _laatste_wijzigingen(view: "Project", here: str, aantal: int = 5) -> str:
    from buut.render import wijzigingen

    return wijzigingen.laatste(view, here, aantal)


MACROS: dict[str, Macro] = {
    "werkproces_diagram": Macro(_werkproces_diagram, "Het werkproces in acht stappen (werkkader §2.4) als diagram."),
    "toegang_tabel": Macro(_toegang_tabel, "De tabel 'Wie bepaalt de toegang?' (werkkader §2.5)."),
    "voorziening": Macro(_voorziening, "Eén gegeven van een voorziening: naam, soort, toegang, beschikking, "
                                       "termijn, ondersteuningsplan of link."),
    "voorzieningen_bij_stap": Macro(_voorzieningen_bij_stap, "Wat de werkinstructies vragen in één stap van het "
                                                             "werkproces, zoals '2.4.6' (inklapbaar)."),
    "partner": Macro(_partner, "Een link naar de pagina van een partner, met zijn naam."),
    "stand": Macro(_stand, "Achter een zin die maar een tijd klopt: de datum van de bron, zoals 'april 2021'; "
                           "de lezer ziet '(stand april 2021)' en de redactie vindt de zin in de werklijst."),
    "laatste_wijzigingen": Macro(_laatste_wijzigingen, "De nieuwste wijzigingen voor lezers (standaard 5), met een "
                                                       "link naar Wijzigingen; voor de startpagina."),
}

# Only a parser: no globals, no filters or tests to call, the sandbox's attribute rules as well.
_ENV = SandboxedEnvironment(autoescape=False, keep_trailing_newline=True)
_ENV.globals.clear()
_ENV.filters.clear()
_ENV.tests.clear()

# What a page may not do, in words an editor understands (the parsed node's kind -> Dutch).
_REFUSED = {
    "Getattr": "een attribuut opvragen (iets.naam)", "Getitem": "een onderdeel opvragen (iets[…])",
    "Filter": "een filter (|)", "Test": "een test (is …)", "For": "een lus ({% for %})",
    "If": "een voorwaarde ({% if %})", "Assign": "een variabele ({% set %})",
    "AssignBlock": "een variabele ({% set %})", "Include": "een ander bestand invoegen ({% include %})",
    "Import": "importeren ({% import %})", "FromImport": "importeren ({% from %})",
    "Extends": "een sjabloon uitbreiden ({% extends %})", "Block": "een blok ({% block %})",
    "Macro": "een eigen macro ({% macro %})", "CallBlock": "een aanroepblok ({% call %})",
    "FilterBlock": "een filterblok", "With": "een {% with %}-blok", "Name": "een naam zonder haakjes",
}


class MacroError(Exception):
    def __init__(self, finding: Finding):
        self.finding = finding
        super().__init__(f"{finding.path}:{finding.line}: {finding.message}")


def _problem(path: str, line: int, message: str) -> Finding:
    return Finding(path, line, 1, Level.ERROR, message, RULE)


def _calls(text: str, path: str, first_line: int) -> tuple[list, list[Finding]]:
    """The page as a list of literal text and allowed calls `(macro, arguments, line)`."""
    try:
        tree = _ENV.parse(text)
    except TemplateSyntaxError as error:
        line = first_line + (error.lineno or 1) - 1
        return [], [_problem(path, line, f"macro-opmaak klopt niet ({error.message}); schrijf {{{{ naam(…) }}}}, "
                                          "of zet letterlijke accolades in {% raw %}…{% endraw %}")]
    except RecursionError:
        return [], [_problem(path, first_line, "macro-opmaak is te diep genest")]
    parts, problems = [], _comments(text, path, first_line)
    for node in tree.body:
        if not isinstance(node, nodes.Output):
            problems.append(_refused(node, path, first_line))
            continue
        for child in node.nodes:
            if isinstance(child, nodes.TemplateData):
                parts.append(child.data)
            else:
                call = _allowed_call(child, path, first_line, problems)
                if call is not None:
                    parts.append(call)
    calls = [part for part in parts if not isinstance(part, str)]
    if len(calls) > MAX_MACRO_CALLS:
        problems.append(_problem(path, calls[MAX_MACRO_CALLS][3], f"te veel macro's op één pagina ({len(calls)}; "
                                                                  f"hoogstens {MAX_MACRO_CALLS})"))
    return parts, problems


def _comments(text: str, path: str, first_line: int) -> list[Finding]:
    """Every Jinja comment on a page (the lexer sees them; the parsed tree no longer has them)."""
    if "{#" not in text:
        return []
    return [_problem(path, first_line + line - 1,
                     "een Jinja-opmerking ({# … #}) mag niet in een pagina: wat erin staat, valt op de site weg "
                     "zonder dat BUUT het controleert, en de tekst eromheen sluit aan. Haal de opmerking weg; "
                     "wil je letterlijk {# schrijven, zet het dan in {% raw %}…{% endraw %}")
            for line, kind, _ in _ENV.lex(text) if kind == "comment_begin"]


def _refused(node: nodes.Node, path: str, first_line: int) -> Finding:
    kind = type(node).__name__
    what = _REFUSED.get(kind, f"'{kind}'")
    if isinstance(node, nodes.Name):
        what = f"de naam '{node.name}' zonder haakjes" if node.name not in MACROS else \
            f"'{node.name}' zonder haakjes; schrijf {{{{ {node.name}() }}}}"
    return _problem(path, first_line + (node.lineno or 1) - 1,
                    f"niet toegestaan in een pagina: {what}. Een pagina mag alleen BUUT-macro's aanroepen, "
                    "zoals {{ toegang_tabel() }}")


def _allowed_call(node: nodes.Node, path: str, first_line: int, problems: list[Finding]):
    line = first_line + (node.lineno or 1) - 1
    if not isinstance(node, nodes.Call) or not isinstance(node.node, nodes.Name):
        problems.append(_refused(node.node if isinstance(node, nodes.Call) else node, path, first_line))
        return None
    name = node.node.name
    macro = MACROS.get(name)
    if macro is None:
        problems.append(_problem(path, line, f"onbekende macro of naam '{name}'; bekend zijn: {', '.join(MACROS)}"))
        return None
    if node.dyn_args is not None or node.dyn_kwargs is not None:
        problems.append(_problem(path, line, f"macro '{name}': schrijf de argumenten uit, zonder * of **"))
        return None
    values = [*node.args, *(k.value for k in node.kwargs)]
    if not all(isinstance(a, nodes.Const) and isinstance(a.value, (str, int, float, bool)) for a in values):
        problems.append(_problem(path, line, f"macro '{name}': elk argument moet een gewone waarde zijn, "
                                             "zoals \"dagbesteding\" of 3"))
        return None
    args = [a.value for a in node.args]
    kwargs = {k.key: k.value.value for k in node.kwargs}
    try:
        inspect.Signature(macro.parameters()).bind(*args, **kwargs)
    except TypeError:
        wanted = ", ".join(p.name for p in macro.parameters()) or "geen argumenten"
        problems.append(_problem(path, line, f"macro '{name}' krijgt andere argumenten ({wanted})"))
        return None
    return macro, args, kwargs, line


def has_macros(text: str) -> bool:
    return any(marker in text for marker in MARKERS)


def check_macros(page: Page) -> list[Finding]:
    """Findings for every macro call on a page that is not allowed (nothing is called)."""
    if page.generated or not has_macros(page.body):
        return []
    return _calls(page.body, page.path, page.body_line)[1]


def render_macros(text: str, view: "Project", here: str, path: str, first_line: int = 1) -> str:
    """`text` with every allowed call replaced by its result; MacroError for the first problem."""
    if not has_macros(text):
        return text
    parts, problems = _calls(text, path, first_line)
    if problems:
        raise MacroError(problems[0])
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        macro, args, kwargs, line = part
        try:
            out.append(str(macro.function(view, here, *args, **kwargs)))
        except (ValueError, KeyError, LookupError) as error:
            raise MacroError(_problem(path, line, f"macro faalde: {error}")) from None
    return "".join(out)
