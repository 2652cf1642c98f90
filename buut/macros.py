"""mkdocs-macros adapter: the names editors can call in a page, e.g. `{{ werkproces_diagram() }}`.

Each macro is a one-line call into `buut.render`; the logic stays in the core. mkdocs.yml loads
this module with `modules: [buut.macros]`, `on_undefined: strict` and `on_error_fail: true`, so an
unknown name or a failing macro stops the build with the page it is on.
"""
from __future__ import annotations

from pathlib import Path

from . import render


def define_env(env) -> None:
    root = Path(env.conf["config_file_path"]).resolve().parent

    @env.macro
    def werkproces_diagram() -> str:
        """Het werkproces in acht stappen (werkkader §2.4) als diagram."""
        return render.werkproces_diagram(render.load_werkproces(root))
