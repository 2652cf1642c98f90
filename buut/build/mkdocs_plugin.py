"""The mkdocs adapter: a few hooks that hand the work to BUUT's core, nothing more.

- on_config: load and validate the project (or take the result `buut build` already has);
  error-level findings stop the build, warnings are logged.
- on_files: choose the pages of this site. The intranet mounts `werkkader/`, `werkinstructies/`
  and the generated pages; the public site (`site: publiek`) keeps only pages marked
  `zichtbaarheid: publiek` and the public variant of the generated pages.
- on_page_read_source: hand mkdocs the page's body as BUUT split it, with empty front matter: BUUT
  alone decides a page's meta (no `title`, `template`, `hide` or `search` from a page's text).
- on_page_markdown: run the page's macros (buut/render/macros.py: parsed, allow-listed, never executed),
  place a werkinstructie's data in its page; on the public site turn links to internal pages into
  plain text; append the tooltips.
- on_page_content: sanitise the rendered HTML (buut/load/policy.py) and, on the public site, drop what
  is internal (buut/render/public.py) and the table-of-contents entries that went with it.
- on_post_page, on_post_template: sanitise the whole output page and keep only the fixed scripts
  (buut/build/theme_policy.py); titles and nav labels reach the theme as escaped text.
- on_serve: watch the content folders outside docs_dir, so `mkdocs serve` rebuilds on every edit,
  and make its rebuilds incremental: `_Preview` renders again only the pages whose Markdown changed
  (what changed, and when everything must be built again, is decided in buut/build/preview.py).
"""
from __future__ import annotations

import html as html_text
import logging
import re
import time
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import CountHandler

from buut.check import formatters
from buut.load import lifecycle, policy
from buut.build import config as config_policy, preview, preview_display, provenance, theme_policy
from buut import render
from buut.load.content import CONTENT_DIRS, PUBLIC_ONLY, nav_links, site_url
from buut.render.macros import MacroError, render_macros
from buut.model import BuutError, Level, Page
from buut.build.project import Project, validate_project
from buut.render import public

log = logging.getLogger("mkdocs.plugins.buut")
TEMPLATES = Path(__file__).parent.parent / "templates"  # theme overrides: feedback, owner and last change, 404


class BuutConfig(Config):
    site = c.Choice(render.SITES, default="intranet")
    check = c.Type(bool, default=True)


class BuutPlugin(BasePlugin[BuutConfig]):
    # `buut build` hands over the project it validated already, so the work is not done twice. It is
    # used for one build only: under `mkdocs serve` mkdocs keeps this object from build to build (the
    # plugin has `on_startup`), and each build must read the content again.
    handed: Project | None = None
    project: Project | None = None

    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        refused = [f.message for f in config_policy.check_config_file(Path(config.config_file_path), root)]
        refused += config_policy.check_config(config, root)
        if refused:
            raise PluginError(f"{Path(config.config_file_path).name}: " + "; ".join(refused))
        handed, self.handed = self.handed, None
        self._use(handed if handed is not None and handed.root == root else self._validated(root))
        if self.config.site == "publiek":
            config.markdown_extensions.append(public.InternBlocks())  # intern blocks dropped while parsing
        # the glossary's tooltips, for every page (Python-Markdown's abbr extension)
        config.mdx_configs["abbr"] = {**config.mdx_configs.get("abbr", {}),
                                      "glossary": render.abbreviations(self.project.glossary)}
        config.theme.dirs.insert(0, str(TEMPLATES))
        config.extra["buut_site"] = self.config.site  # the templates show intranet-only parts by it
        self.repo_url, self.raw_nav = config.repo_url, config.nav
        self.history, self.commits, self.git_head = {}, [], None
        if self.config.site == "intranet":  # git history: read again by the preview after a commit
            self.git_head = lifecycle.git_head(self.project.root)
            self.commits = lifecycle.git_log(self.project.root)
            self.history = lifecycle.git_changes(self.project.root, commits=self.commits)
        self._lifecycle()
        self.titles = self._titles()
        if config.nav:
            config.nav = self._expand_nav(config.nav)
        self.signatures: dict[str, object] = {}  # per page what it was built from (buut/build/preview.py)
        self.sources: dict[str, str] = {}  # public site: each page's Markdown, for the provenance gate
        self.config_texts, self.site_name = _config_texts(config), config.site_name or ""
        return config

    def _validated(self, root: Path) -> Project:
        """The project loaded and validated; error-level findings stop the build, warnings are logged."""
        try:
            project = validate_project(root)
        except BuutError as error:
            raise PluginError("BUUT kan de inhoud niet gebruiken:\n" + formatters.text(error.findings)) from None
        if self.config.check:
            for finding in project.findings:
                if finding.level == Level.WARNING:
                    log.info(formatters.text([finding]))
            errors = project.errors()
            if errors:
                raise PluginError("BUUT vond fouten in de inhoud:\n" + formatters.text(errors))
        return project

    def _use(self, project: Project) -> None:
        self.project = project
        self.view = render.site_view(project, self.config.site)  # what this site may show

    def _lifecycle(self) -> None:
        """Intranet only: review dates, and the pages made from them and the git history (Wijzigingen)."""
        self.reviews, self.extra, self.feeds, self.noted = {}, [], {}, {}
        if self.config.site == "intranet":
            reviews = lifecycle.reviews(self.project.content.pages, self.project.today)
            self.reviews = {r.page.path: r for r in reviews}
            self.extra = render.lifecycle.upkeep_pages(self.project, reviews)
            self.feeds = render.wijzigingen.feeds(self.project)  # Atom, from the editors' change notes
            self.noted = {n.path: n.anker for n in render.wijzigingen.notities(self.project)}
        on_site = {site_url(p.uri) for p in self._site_pages()}
        self.internal_urls = {site_url(p.uri) for p in self.project.pages} - on_site

    def _expand_nav(self, items):
        """`folder/*` in the nav stands for every page of that folder not listed elsewhere, by title."""
        listed = set(nav_links(items))

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
                        out += [{_text(p.meta.titel): str(p.uri)} for p in pages]
                    else:
                        out.append(expand(item))
                return out
            if isinstance(node, dict):  # a label is text: the theme puts it into pages as it is
                return {_text(key) if isinstance(key, str) else key: expand(value) for key, value in node.items()}
            return node

        return expand(items)

    def on_files(self, files: Files, *, config) -> Files:
        root, site = self.project.root, self.config.site
        docs_folder = Path(config.docs_dir).resolve().relative_to(root).as_posix()
        self.pages = self._page_map()
        for page in self.project.content.pages:
            folder = page.path.split("/", 1)[0]
            if not self._on_site(page, folder):
                if folder == docs_folder and files.get_file_from_path(str(page.uri)):
                    files.remove(files.get_file_from_path(str(page.uri)))
                continue
            if folder != docs_folder:
                mount = CONTENT_DIRS[folder][0]  # "" (the site's root) or the folder's own name
                src_dir = root / folder if not mount else root
                files.append(File(str(page.uri), src_dir=str(src_dir), dest_dir=config.site_dir,
                                  use_directory_urls=config.use_directory_urls))
        if site == "publiek":
            self._add_assets(files, config, root / "docs")
        for page in self._site_pages():
            if page.generated:
                files.append(File.generated(config, str(page.uri), content=page.text))
        for name, xml in self.feeds.items():
            files.append(File.generated(config, name, content=xml))
        for file in list(files):
            if _escapes(file, root) or policy.ignored_path(file.src_uri):
                files.remove(file)  # a link, a path outside the repository or an editor's file: never published
            elif site == "publiek" and file.is_documentation_page() and file.src_uri not in self.pages:
                files.remove(file)  # a page mkdocs found that BUUT does not know: not public
        self.files = files
        return files

    def _titles(self) -> list[tuple[str, str]]:
        """Every page's address and title: they are on every page (the navigation)."""
        return [(str(p.uri), p.meta.titel) for p in self._site_pages()]

    def _page_map(self) -> dict[str, Page]:
        """Every page of this site by its address: content pages, then generated pages."""
        pages = {str(p.uri): p for p in self.project.content.pages if self._on_site(p, p.path.split("/", 1)[0])}
        pages.update((str(p.uri), p) for p in self._site_pages() if p.generated)
        return pages

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
            if path.is_file() and not path.is_symlink() and path.suffix != ".md" \
                    and not policy.ignored_path(relative) \
                    and not files.get_file_from_path(relative):
                files.append(File(relative, src_dir=str(folder), dest_dir=config.site_dir,
                                  use_directory_urls=config.use_directory_urls))

    def on_page_read_source(self, *, page, config) -> str | None:
        """mkdocs closes front matter only at an unindented `---` and reads `key: value` lines at the
        top of a page without one; BUUT's reading is the only one: mkdocs gets the body, no meta."""
        source = self.pages.get(page.file.src_uri)
        body = source.body.lstrip("\n") if source is not None else ""
        return "---\n{}\n---\n" + body  # a page BUUT does not know gets no text at all

    @event_priority(50)  # before other plugins see the page: its macros first
    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        markdown, meta = self._markdown(page.file.src_uri, markdown)
        page.meta.clear()  # only what BUUT hands over (see on_page_read_source)
        page.meta.update(meta)
        if self.config.site == "publiek":
            self.sources[page.file.dest_uri] = markdown  # before any intern block is dropped
        source = self.pages.get(page.file.src_uri)
        if source is not None:
            self.signatures[page.file.src_uri] = self._signature(source, markdown, meta)
        return markdown

    def _markdown(self, uri: str, markdown: str) -> tuple[str, dict]:
        """What mkdocs renders for a page, and what BUUT adds to its meta: the one place that decides it."""
        source, meta = self.pages.get(uri), {}
        if source is not None:  # the page's title as text (the theme escapes nothing)
            meta["title"] = _text(source.meta.titel)
        composed = uri in render.COMPOSED  # made of content pages: their macros run here too
        if source is not None and (not source.generated or composed):
            try:
                # the page's own body: mkdocs drops the blank lines after the front matter, and the
                # line numbers in a message must be the file's
                markdown = render_macros(source.body, self.view, uri, source.path, source.body_line).lstrip("\n")
            except MacroError as error:
                raise PluginError(formatters.text([error.finding])) from None
        if source is not None and source.meta.voorziening is not None:
            markdown = render.voorzieningen.werkinstructie(markdown, source.meta.voorziening, self.view,
                                                           source.meta.bron)
        if source is not None and source.path in self.reviews:
            markdown = _after_title(markdown, render.lifecycle.notice(self.reviews[source.path]))
        if source is not None and self.config.site == "intranet":  # owner, last change, feedback (theme)
            sources = lifecycle.data_files(source, self.project.root)
            change = lifecycle.last_change(sources, self.history)
            anker = next((self.noted[f] for f in sources if f in self.noted), None)
            meta["buut"] = render.lifecycle.upkeep(source, change, self.repo_url, self.reviews.get(source.path), anker)
            if uri == render.wijzigingen.URI:  # <link rel="alternate"> in the head (templates/main.html)
                meta["buut_feeds"] = [{"href": name, "titel": f"BUUT: wijzigingen in {titel}"}
                                      for name, (_, titel) in render.wijzigingen.FEEDS.items()]
            if source in self.extra or composed:
                meta["search"] = {"exclude": True}  # history, worklist and the whole werkkader are no answers
            if composed:
                meta["hide"] = ["toc"]  # the document has its own table of contents, which also prints
        if self.config.site == "publiek":
            markdown = public.unlink(markdown, uri, set(self.pages))
        if uri == render.BEGRIPPENLIJST_URI:  # the tooltips (on_config) are off on the page that explains the words
            markdown += "\n\n" + render.without_abbreviations(self.project.glossary) + "\n"
        return markdown, meta

    @staticmethod
    def _signature(source: Page, markdown: str, meta: dict) -> tuple:
        """All a page's HTML is made from besides the navigation: its text, the Markdown BUUT makes of
        it (macros, a voorziening's data; a generated page's Markdown is its text) and the meta BUUT
        gives it (owner, last change)."""
        own = source.generated and str(source.uri) not in render.COMPOSED
        return source.text, None if own else markdown, repr(meta)

    @event_priority(-100)  # last: what any plugin added is sanitised and filtered too
    def on_page_content(self, html: str, *, page, config, files) -> str:
        if self.config.site != "publiek":
            return policy.clean_html(html)
        # intern-ness is decided before the sanitiser can unwrap an element and lose its class;
        # after it, once more on the sanitiser's well-formed output
        html = public.filter_html(policy.clean_html(public.filter_html(html, page.url, self.internal_urls)),
                                  page.url, self.internal_urls)
        if page.toc is not None:
            _prune_toc(page.toc.items if hasattr(page.toc, "items") else page.toc, _headings(html))
        return html

    @event_priority(-100)  # last: after every other plugin changed the page
    def on_post_page(self, output: str, *, page, config) -> str:
        return self._clean_page(output, page.file.src_uri, page.content)  # the content is clean already

    def on_post_template(self, output: str, *, template_name: str, config) -> str:
        return self._clean_page(output, template_name) if template_name.endswith(".html") else output

    def _clean_page(self, output: str, name: str, article: str | None = None) -> str:
        try:
            return theme_policy.clean_page(output, public=self.config.site == "publiek", article=article)
        except theme_policy.PageRefused as refused:
            raise PluginError(f"{name}: {refused}") from None

    def public_sources(self) -> "provenance.Sources":
        """What the public site may show (buut/build/provenance.py): each page's Markdown as BUUT hands it
        to mkdocs, the titles of the pages and the texts of the configuration."""
        titles = [p.meta.titel for p in self._site_pages()]
        from buut.search.static import public_words

        return provenance.Sources(dict(self.sources), tuple(titles) + self.config_texts, self.site_name,
                                  public_words(self.project))

    def on_nav(self, nav, *, config, files):
        self.nav = nav
        return nav

    def on_env(self, env, *, config, files):
        self.env = env
        return env

    def on_post_build(self, *, config) -> None:
        if self.config.site == "publiek":  # its search runs in the browser, over a static index
            from buut.search import static

            static.write(self.project, Path(config.site_dir))
        if _preview is not None and _preview.site_dir == config.site_dir:
            _preview.pending = (self, config)  # kept once mkdocs' build has ended without an error

    def on_serve(self, server, *, config, builder):
        global _preview
        root = self.project.root
        for watched in (*CONTENT_DIRS, "partners", "teams", *policy.CONFIG_FILES):
            if (root / watched).exists():
                server.watch(str(root / watched))  # also the configuration that the served one inherits
        _preview = _Preview(root, config.site_dir, builder)
        _preview.built(self, config)  # the first build succeeded when mkdocs calls this
        server.builder = _preview  # the rebuild loop calls server.builder() on every change
        preview = _preview
        server.set_app(preview_display.error_page(server.get_app(), lambda: preview.error))  # errors in the page
        return server

    def on_startup(self, *, command, dirty) -> None:
        if command == "serve":
            preview_display.quiet_terminal()  # the editor's terminal: BUUT's lines, not mkdocs' lists

    def rebuild_changed(self, config) -> int | str:
        """The incremental rebuild of one preview: validate the project again and render only the
        pages whose signature changed; returns how many. A text (why) when everything must be built
        again: the navigation, a title, the set of pages or the git history changed. Abort, as
        mkdocs' own build, when the content has errors."""
        from mkdocs.commands.build import _build_page, _populate_page  # mkdocs 1.6's own steps per page
        from mkdocs.structure.files import InclusionLevel

        if self.git_head is not None and lifecycle.git_head(self.project.root) != self.git_head:
            return "git-geschiedenis veranderd (commit of pull): laatste wijzigingen opnieuw lezen"
        try:
            project = self._validated(self.project.root)
        except PluginError as error:  # nothing of this plugin changed yet: the next save can go on from here
            log.error(str(error))
            raise _ContentErrors("Aborted with a BuildError!") from None
        self._use(project)
        feeds = self.feeds
        self._lifecycle()
        if self.feeds != feeds:
            return "wijzigingen voor lezers veranderd: de feeds opnieuw"
        nav = self._expand_nav(self.raw_nav) if self.raw_nav else self.raw_nav
        if nav != config.nav or self._titles() != self.titles:
            return "navigatie of titels gewijzigd"
        self.pages = self._page_map()
        try:
            signatures = {uri: self._signature(page, *self._markdown(uri, "")) for uri, page in self.pages.items()}
        except PluginError as error:
            log.error(str(error))
            raise Abort("Aborted with a BuildError!") from None
        changed = preview.changed_pages(self.signatures, signatures)
        built = [self.files.get_file_from_path(uri) for uri in changed or ()]
        if changed is None or any(file is None or file.page is None for file in built):
            return "andere pagina's"
        warnings = CountHandler()  # as mkdocs' own build: in strict mode a warning (a broken link) stops it
        warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(warnings)
        try:
            for file in built:
                if self.pages[file.src_uri].generated:
                    file.content_string = self.pages[file.src_uri].text
                _populate_page(file.page, config, self.files)
            search = _search_plugin(config)
            if search is not None:
                search.search_index.entries = [e for e in search.search_index.entries
                                               if not any(_on_page(e, f.page.url) for f in built)]
            doc_files = self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
            for file in built:
                _build_page(file.page, config, doc_files, self.nav, self.env)
            for file in doc_files:  # links into a changed page may point at a heading that is gone
                file.page.validate_anchor_links(files=self.files, log_level=config.validation.links.anchors)
            if search is not None and built:
                search.on_post_build(config=config)  # writes the index with the pages' new text
        finally:
            logging.getLogger("mkdocs").removeHandler(warnings)
        if config.strict and warnings.get_counts():
            counts = ", ".join(f"{n} {level.lower()}s" for level, n in warnings.get_counts())
            raise Abort(f"Aborted with {counts} in strict mode!")
        return len(built)


class _ContentErrors(Abort):
    """The content has errors; the preview keeps what it built last."""


# The preview that `mkdocs serve` is running in this process, if any (set by on_serve).
_preview: "_Preview | None" = None


class _Preview:
    """`mkdocs serve`'s builder: renders again what a save changed (buut/build/preview.py decides), and
    hands the rest to mkdocs' own full build, after which the new plugin reports back (`built`)."""

    def __init__(self, root: Path, site_dir: str, full_build):
        self.root, self.site_dir, self.full_build = root, site_dir, full_build
        self.plugin, self.config, self.pending = None, None, None
        self.seen = preview.fingerprints(root)
        self.error: str | None = None  # why the last rebuild failed: shown on every page (preview_display)

    def built(self, plugin: "BuutPlugin", config) -> None:
        self.plugin, self.config = plugin, config

    def __call__(self, config=None) -> None:
        """One rebuild. A failure is not raised to mkdocs' server, which would leave the browsers waiting
        without a word: it is logged, kept, and shown on the pages once the server reloads them."""
        failure = preview_display.Failure()
        logging.getLogger("mkdocs").addHandler(failure)
        try:
            self._rebuild()
        except Exception as error:  # noqa: BLE001 - Abort, PluginError, BuildError: all end the same way
            message = str(error).strip()
            if message and message not in failure.lines and not message.startswith("Aborted with a BuildError"):
                log.error(message)  # e.g. "Aborted with 1 warnings in strict mode!"
            self.error = failure.text()
            log.error("BUUT: de voorvertoning is niet bijgewerkt; de fout staat ook bovenaan elke pagina")
            return
        finally:
            logging.getLogger("mkdocs").removeHandler(failure)
        self.error = None

    def _rebuild(self) -> None:
        started = time.perf_counter()
        now = preview.fingerprints(self.root)
        changes, self.seen = preview.compare(self.seen, now), now
        reason = preview.full_reason(changes)
        plugin, self.plugin = self.plugin, None  # until a build succeeds, the next one starts afresh
        if plugin is None:
            reason = "de vorige bouw lukte niet"
        count: int | str = reason or 0
        if reason is None:
            try:
                count = plugin.rebuild_changed(self.config)
            except _ContentErrors:
                self.plugin = plugin  # the last build still stands; mkdocs says the preview waits for a fix
                raise
        if isinstance(count, str):
            log.info(f"BUUT: alles opnieuw bouwen ({count})")
            self.pending = None
            self.full_build()  # mkdocs' own build; an error leaves self.plugin empty
            if self.pending is not None:
                self.built(*self.pending)
            return
        self.plugin = plugin
        pages = "1 pagina" if count == 1 else f"{count} pagina's"
        log.info(f"BUUT: {pages} opnieuw gebouwd in {time.perf_counter() - started:.2f} s")


def _search_plugin(config):
    """mkdocs-material's search plugin, when it keeps its index the way this preview knows."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if isinstance(getattr(index, "entries", None), list) and hasattr(plugin, "on_post_build"):
            return plugin
    return None


def _on_page(entry: dict, url: str) -> bool:
    location = entry.get("location", "") if isinstance(entry, dict) else ""
    return location == url or location.startswith(url + "#")


def _headings(html: str) -> dict[str, str]:
    """The text of every heading left on a page, by its id (without its permalink)."""
    import lxml.html

    if not html.strip():
        return {}
    found = {}
    for heading in lxml.html.fragment_fromstring(html, create_parent="div").xpath(
            "//h1[@id]|//h2[@id]|//h3[@id]|//h4[@id]|//h5[@id]|//h6[@id]"):
        for link in heading.xpath('.//a[contains(concat(" ", @class, " "), " headerlink ")]'):
            link.drop_tree()
        found[heading.get("id")] = " ".join(heading.text_content().split())
    return found


def _prune_toc(items: list, headings: dict[str, str]) -> None:
    """Drop table-of-contents entries whose heading the public filter removed (the headings that
    remain are the key, not any element with the same id); an entry whose heading lost a part
    (`## Kop *intern deel*{: .intern }`) gets the text that remains."""
    for item in list(items):
        if item.id not in headings:
            items.remove(item)
            continue
        if " ".join(_TAG.sub("", html_text.unescape(item.title)).split()) != headings[item.id]:
            item.title = html_text.escape(headings[item.id])
        _prune_toc(item.children, headings)


_TAG = re.compile(r"<[^>]*>")


def _config_texts(config) -> tuple[str, ...]:
    """The texts of the configuration a page may show: the site's name, description and copyright,
    the labels of the navigation, the permalink sign, the glossary's tooltips."""
    texts = [config.site_name or "", config.site_description or "", config.copyright or ""]

    def labels(node) -> None:
        if isinstance(node, list):
            for item in node:
                labels(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                texts.append(str(key))
                labels(value)

    labels(config.nav or [])
    toc = config.mdx_configs.get("toc", {})
    permalink = toc.get("permalink")
    texts += ["¶" if permalink is True else str(permalink or ""), str(toc.get("permalink_title") or "")]
    texts += [str(v) for v in config.mdx_configs.get("abbr", {}).get("glossary", {}).values()]
    return tuple(text for text in texts if text)


def _text(value: str) -> str:
    """Plain text as HTML: the theme puts titles and labels into pages and attributes unescaped."""
    return html_text.escape(value, quote=False).replace('"', "&quot;")


def _escapes(file: File, root: Path) -> bool:
    """A file from the repository that is a link or resolves outside it (the theme's own files aside).
    The build already stops on links in content folders (buut/load/policy.py); this is a second wall."""
    if not file.abs_src_path or not file.src_dir or not Path(file.src_dir).resolve().is_relative_to(root):
        return False
    path = Path(file.abs_src_path)
    return path.is_symlink() or not path.resolve().is_relative_to(root)


def _after_title(markdown: str, block: str) -> str:
    """Insert a block right after the page's first `# ` heading (or at the top)."""
    if not block:
        return markdown
    lines = markdown.split("\n")
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
    return "\n".join(lines[:at] + ["", block] + lines[at:])
