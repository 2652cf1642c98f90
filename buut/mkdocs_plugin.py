"""The mkdocs adapter: a few hooks that hand the work to BUUT's core, nothing more.

- on_config: load and validate the project (or take the result `buut build` already has);
  error-level findings stop the build, warnings are logged.
- on_files: choose the pages of this site. The intranet mounts `werkkader/`, `werkinstructies/`
  and the generated pages; the public site (`site: publiek`) keeps only pages marked
  `zichtbaarheid: publiek` and the public variant of the generated pages.
- on_page_markdown: place a werkinstructie's data in its page; on the public site drop
  `!!! intern` blocks and turn links to internal pages into plain text; append the tooltips.
- on_serve: watch the content folders outside docs_dir, so `mkdocs serve` rebuilds on every edit.
"""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from . import formatters, lifecycle, render
from .content import CONTENT_DIRS, PUBLIC_ONLY
from .model import BuutError, Level, Page
from .project import Project, validate_project
from .render import public

log = logging.getLogger("mkdocs.plugins.buut")
TEMPLATES = Path(__file__).parent / "templates"  # theme overrides: feedback, owner and last change, 404


class BuutConfig(Config):
    site = c.Choice(render.SITES, default="intranet")
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
            for finding in self.project.findings:
                if finding.level == Level.WARNING:
                    log.info(formatters.text([finding]))
            errors = self.project.errors()
            if errors:
                raise PluginError("BUUT vond fouten in de inhoud:\n" + formatters.text(errors))
        self.view = self.project.for_site(self.config.site)  # what this site may show
        config.theme.dirs.insert(0, str(TEMPLATES))
        config.extra["buut_site"] = self.config.site  # the templates show intranet-only parts by it
        self._lifecycle(config)
        if config.nav:
            config.nav = self._expand_nav(config.nav)
        return config

    def _lifecycle(self, config) -> None:
        """Intranet only: review dates, git history and the Wijzigingen page."""
        self.reviews, self.history, self.extra, self.repo_url = {}, {}, [], config.repo_url
        if self.config.site != "intranet":
            return
        reviews = lifecycle.reviews(self.project.content.pages, self.project.today)
        self.reviews = {r.page.path: r for r in reviews}
        commits = lifecycle.git_log(self.project.root)
        self.history = lifecycle.git_changes(self.project.root, commits=commits)
        self.extra = render.lifecycle.upkeep_pages(self.project, self.history, reviews, commits)

    def _expand_nav(self, items):
        """`folder/*` in the nav stands for every page of that folder not listed elsewhere, by title."""
        listed = set()

        def collect(node):
            if isinstance(node, str):
                listed.add(node)
            elif isinstance(node, dict):
                for value in node.values():
                    collect(value)
            elif isinstance(node, list):
                for value in node:
                    collect(value)

        collect(items)

        on_site = {str(p.uri) for p in self._site_pages()}

        def keep(node) -> bool:
            """Drop nav entries for pages this site does not have (an internal page on the public site)."""
            if isinstance(node, dict):
                node = next(iter(node.values()), None)
            if isinstance(node, str) and node.endswith(".md") and node not in on_site:
                log.info(f"BUUT: '{node}' staat niet op de site '{self.config.site}'; weggelaten uit de navigatie")
                return False
            return True

        def expand(node):
            if isinstance(node, list):
                out = []
                for item in node:
                    if not keep(item):
                        continue
                    if isinstance(item, str) and item.endswith("/*"):
                        folder = item[:-2].strip("/") + "/"
                        pages = sorted((p for p in self._site_pages() if str(p.uri).startswith(folder)
                                        and str(p.uri) not in listed), key=lambda p: p.meta.titel.lower())
                        out += [{p.meta.titel: str(p.uri)} for p in pages]
                    else:
                        out.append(expand(item))
                return out
            if isinstance(node, dict):
                return {key: expand(value) for key, value in node.items()}
            return node

        return expand(items)

    def on_files(self, files: Files, *, config) -> Files:
        root, site = self.project.root, self.config.site
        docs_folder = Path(config.docs_dir).resolve().relative_to(root).as_posix()
        self.pages: dict[str, Page] = {}
        for page in self.project.content.pages:
            folder = page.path.split("/", 1)[0]
            if not self._on_site(page, folder):
                if folder == docs_folder and files.get_file_from_path(str(page.uri)):
                    files.remove(files.get_file_from_path(str(page.uri)))
                continue
            self.pages[str(page.uri)] = page
            if folder != docs_folder:
                mount = CONTENT_DIRS[folder][0]  # "" (the site's root) or the folder's own name
                src_dir = root / folder if not mount else root
                files.append(File(str(page.uri), src_dir=str(src_dir), dest_dir=config.site_dir,
                                  use_directory_urls=config.use_directory_urls))
        if site == "publiek":
            self._add_assets(files, config, root / "docs")
        for page in self._site_pages():
            if not page.generated:
                continue
            self.pages[str(page.uri)] = page
            files.append(File.generated(config, str(page.uri), content=page.text))
        for file in list(files.documentation_pages()):
            if site == "publiek" and file.src_uri not in self.pages:
                files.remove(file)  # a page mkdocs found that BUUT does not know: not public
        return files

    def _site_pages(self) -> list[Page]:
        """The pages this site shows: content pages and generated pages."""
        content = [p for p in self.view.content.pages if self._on_site(p, p.path.split("/", 1)[0])]
        return content + self.view.generated + self.extra

    def _on_site(self, page: Page, folder: str) -> bool:
        if self.config.site == "intranet":
            return folder not in PUBLIC_ONLY
        return page.meta.publiek and folder in CONTENT_DIRS

    @staticmethod
    def _add_assets(files: Files, config, folder: Path) -> None:
        """The public site borrows the intranet's stylesheets and scripts (never its pages)."""
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder).as_posix()
            if path.is_file() and path.suffix != ".md" and not files.get_file_from_path(relative):
                files.append(File(relative, src_dir=str(folder), dest_dir=config.site_dir,
                                  use_directory_urls=config.use_directory_urls))

    @event_priority(-50)  # after mkdocs-macros, so that links a macro wrote are handled too
    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        source = self.pages.get(page.file.src_uri)
        if source is not None and source.meta.voorziening is not None:
            markdown = render.voorzieningen.werkinstructie(markdown, source.meta.voorziening, self.view,
                                                           source.meta.bron)
        if source is not None and source.path in self.reviews:
            markdown = _after_title(markdown, render.lifecycle.notice(self.reviews[source.path]))
        if source is not None and self.config.site == "intranet":  # owner, last change, feedback (theme)
            change = lifecycle.last_change(lifecycle.data_files(source, self.project.root), self.history)
            page.meta["buut"] = render.lifecycle.upkeep(source, change, self.repo_url)
            if source in self.extra:
                page.meta["search"] = {"exclude": True}  # history and worklist are no answers
        if self.config.site == "publiek":
            markdown = public.strip_intern(markdown)
            markdown = public.unlink(markdown, page.file.src_uri, set(self.pages))
        if page.file.src_uri == render.BEGRIPPENLIJST_URI:
            return markdown
        return markdown + "\n\n" + render.abbreviations(self.project.glossary) + "\n"

    def on_serve(self, server, *, config, builder):
        root = self.project.root
        for watched in (*CONTENT_DIRS, "partners", "glossary.yml"):
            if (root / watched).exists():
                server.watch(str(root / watched))
        return server  # each rebuild loads the config, and so this plugin, anew


def _after_title(markdown: str, block: str) -> str:
    """Insert a block right after the page's first `# ` heading (or at the top)."""
    if not block:
        return markdown
    lines = markdown.split("\n")
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
    return "\n".join(lines[:at] + ["", block] + lines[at:])
