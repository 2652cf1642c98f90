"""mkdocs-macros adapter: the names editors can call in a page, e.g. `{{ toegang_tabel() }}`.

Each macro is a one-line call into `buut.render`; the logic stays in the core, the data comes from
the project the BUUT plugin loaded. mkdocs.yml loads this module with `modules: [buut.macros]`,
`on_undefined: strict` and `on_error_fail: true`, so an unknown name or a failing macro stops the
build with the page it is on. Literal `{{` in a page: wrap it in `{% raw %}` … `{% endraw %}`.
"""
from __future__ import annotations

from . import render
from .render import voorzieningen as v


def define_env(env) -> None:
    def project():
        plugin = env.conf["plugins"].get("buut")
        if plugin is None or getattr(plugin, "view", None) is None:
            raise RuntimeError("de BUUT-plugin ontbreekt in mkdocs.yml (plugins: - buut)")
        return plugin.view  # on the public site: only public pages and partners

    def here() -> str:
        return env.page.file.src_uri

    @env.macro
    def werkproces_diagram() -> str:
        """Het werkproces in acht stappen (werkkader §2.4) als diagram."""
        return render.werkproces_diagram(render.load_werkproces(project().root))

    @env.macro
    def toegang_tabel() -> str:
        """De tabel 'Wie bepaalt de toegang?' (werkkader §2.5), uit de gegevens van de werkinstructies."""
        return v.toegang_tabel(project(), here())

    @env.macro
    def voorziening(ident: str, veld: str = "link") -> str:
        """Eén gegeven van een voorziening: naam, soort, toegang, beschikking, termijn, ondersteuningsplan, link."""
        return v.voorziening_veld(project(), ident, veld, here())

    @env.macro
    def voorzieningen_bij_stap(stap: str) -> str:
        """Wat de werkinstructies vragen in één stap van het werkproces, zoals '2.4.6' (inklapbaar)."""
        return v.bij_stap_blok(project(), stap, here())

    @env.macro
    def partner(ident: str) -> str:
        """Een link naar de pagina van een partner, met zijn naam."""
        found = project().partner(ident)
        if found is None:
            raise ValueError(f"onbekende partner '{ident}'")
        return f"[{found.label}]({render.common.link(here(), render.partners.uri(found))})"
