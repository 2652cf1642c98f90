"""The mkdocs adapter: four hooks that hand the work to BUUT's core, nothing more.

- on_config: load and validate the project (or take the result `buut build` already has);
  error-level findings stop the build, warnings are logged.
- on_files: mount `werkkader/` under /werkkader/ and add the generated pages.
- on_page_markdown: append the glossary tooltips (abbreviations), except on the begrippenlijst.
- on_serve: watch the content folders outside docs_dir, so `mkdocs serve` rebuilds on every edit.
"""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from . import formatters, render
from .model import BuutError, Level
from .project import Project, validate_project

log = logging.getLogger("mkdocs.plugins.buut")


class BuutConfig(Config):
    site = c.Choice(("intranet", "publiek"), default="intranet")
    check = c.Type(bool, default=True)


class BuutPlugin(BasePlugin[BuutConfig]):
    # `buut build` sets this to the project it validated already, so the work is not done twice.
    project: Project | None = None

    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        if self.project is None or self.project.root != root:
            try:
                self.project = validate_project(root)
            except BuutError as error:
                raise PluginError("BUUT kan de inhoud niet gebruiken:\n" + formatters.text(error.findings)) from None
        if self.config.check:
            shown = [f for f in self.project.findings if f.level >= Level.WARNING]
            for finding in shown:
                if finding.level < Level.ERROR:
                    log.info(formatters.text([finding]))
            errors = self.project.errors()
            if errors:
                raise PluginError("BUUT vond fouten in de inhoud:\n" + formatters.text(errors))
        return config

    def on_files(self, files: Files, *, config) -> Files:
        root = self.project.root
        for page in self.project.content.pages:
            if page.path.startswith("docs/"):
                continue  # already in docs_dir
            files.append(File(page.path, src_dir=str(root), dest_dir=config.site_dir,
                              use_directory_urls=config.use_directory_urls))
        for page in self.project.generated:
            files.append(File.generated(config, str(page.uri), content=page.text))
        return files

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        if page.file.src_uri == render.BEGRIPPENLIJST_URI:
            return markdown
        return markdown + "\n\n" + render.abbreviations(self.project.glossary) + "\n"

    def on_serve(self, server, *, config, builder):
        root = self.project.root
        for watched in ("werkkader", "partners", "glossary.yml"):
            if (root / watched).exists():
                server.watch(str(root / watched))
        return server  # each rebuild loads the config, and so this plugin, anew
