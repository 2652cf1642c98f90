"""The leak gate: the public site is proven free of internal content on its output, not hoped to be.

After the public site is built into its staging folder, and before it is swapped in, two steps run
on the files themselves, whatever the filter before them did or missed:

1. `prune`: every file that no public page references (an image only an internal page used, a
   file someone dropped into `docs/`) is removed. What stays: the pages, the theme's own files,
   the search index and the sitemap, and what a page or stylesheet links to.
2. `verify`: every output file is parsed — HTML with an HTML parser, the search index and sitemap
   as JSON and XML, every other text file as text — and the build fails, leaving the previous
   public site in place, when it finds
   - an element with the class `intern`, or an HTML comment in a page's content;
   - a link to, or the address of, a page that is not public (in any attribute, the search index,
     the sitemap or any text file);
   - the title of a page that is not public, in the navigation, a page title or the search index
     (as the title of a page: a public section may well share its heading with an internal page);
   - a file that no public page references.

A finding names the file and what was found; `LeakFound` carries them all.
"""
from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import ahocorasick
import lxml.html
from lxml import etree

from buut.build import provenance
from buut.load.policy import theme_files
from buut.render.public import is_intern, site_target

# Files every site has that no page links to by an attribute: the theme, search (the theme's, or
# the public site's static index, checked by provenance like a page), sitemap.
KNOWN_FILES = {"search/search_index.json", "zoeken/index.json", "sitemap.xml", "sitemap.xml.gz", "404.html"}
NAVIGATION_CLASSES = ("md-nav__link", "md-tabs__link", "md-footer__link", "md-header__topic")
SOURCE_SUFFIXES = {".yml", ".yaml", ".md", ".py", ".toml", ".cfg", ".ini", ".env"}
TEXT_SUFFIXES = {".html", ".json", ".xml", ".js", ".css", ".txt", ".svg", ".map", ".md", ".yml", ".csv"}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@dataclass(frozen=True)
class Leak:
    path: str  # the output file, relative to the site folder
    what: str  # in Dutch

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


class LeakFound(Exception):
    def __init__(self, leaks: list[Leak]):
        self.leaks = leaks
        shown = "; ".join(str(leak) for leak in leaks[:10])
        more = f" (en nog {len(leaks) - 10})" if len(leaks) > 10 else ""
        super().__init__(f"de publieke site bevat interne inhoud: {shown}{more}")


@dataclass(frozen=True)
class Internal:
    """What may not be on the public site: the addresses and titles of the pages that are not public."""

    urls: frozenset[str]  # site addresses, such as "werkinstructies/dagbesteding/"
    titles: frozenset[str]  # titles that no public page has


def _files(site_dir: Path) -> list[str]:
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())


def _page_url(relative: str) -> str:
    """The site address of an HTML file: 'a/b/index.html' -> 'a/b/'."""
    return relative[: -len("index.html")] if relative.endswith("index.html") else relative


def _resolve(from_file: str, reference: str) -> str | None:
    """The site-relative file a reference in `from_file` points at, or None for other hosts."""
    parts = urlsplit(reference.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    base = posixpath.dirname(from_file)
    joined = path.lstrip("/") if path.startswith("/") else posixpath.normpath(posixpath.join(base, path))
    if joined in (".", ""):
        return "index.html"
    if path.endswith("/") or joined.endswith("/"):
        return joined.rstrip("/") + "/index.html"
    return joined


def references(site_dir: Path) -> set[str]:
    """Every file that a page (or a stylesheet a page uses) refers to, relative to the site folder."""
    found: set[str] = set()
    for relative in _files(site_dir):
        path = site_dir / relative
        if relative.endswith(".html"):
            tree = lxml.html.fromstring(path.read_bytes())
            for element in tree.iter():
                if not isinstance(element.tag, str):
                    continue
                for attribute in ("href", "src", "srcset", "data-src"):
                    value = element.get(attribute)
                    if not value:
                        continue
                    for item in (value.split(",") if attribute == "srcset" else [value]):
                        target = _resolve(relative, item.strip().split(" ")[0])
                        if target:
                            found.add(target)
        elif relative.endswith(".css"):
            for match in _CSS_URL.finditer(path.read_text(encoding="utf-8", errors="replace")):
                target = _resolve(relative, match.group(1))
                if target:
                    found.add(target)
    return found


def prune(site_dir: Path) -> list[str]:
    """Remove every file that no page references (pages, theme files, search and sitemap stay)."""
    keep = theme_files() | KNOWN_FILES | references(site_dir)
    removed = []
    for relative in _files(site_dir):
        if relative.endswith(".html") or relative in keep:
            continue
        (site_dir / relative).unlink()
        removed.append(relative)
    for folder in sorted((p for p in site_dir.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()
    return removed


def verify(site_dir: Path, internal: Internal) -> list[Leak]:
    """Every leak in a built public site (an empty list: the site may be published)."""
    leaks: list[Leak] = []
    allowed = theme_files() | KNOWN_FILES | references(site_dir)
    for relative in _files(site_dir):
        path = site_dir / relative
        if not relative.endswith(".html") and relative not in allowed:
            leaks.append(Leak(relative, "bestand waar geen publieke pagina naar verwijst"))
        if path.suffix.lower() in SOURCE_SUFFIXES:
            leaks.append(Leak(relative, "bronbestand (gegevens of Markdown) in de publieke site"))
        if path.is_symlink():
            leaks.append(Leak(relative, "symbolische koppeling"))
            continue
        if relative.endswith(".html"):
            leaks += _verify_html(relative, path.read_bytes(), internal)
        elif relative.endswith(".gz"):
            import gzip

            try:
                leaks += _verify_text(relative, gzip.decompress(path.read_bytes()).decode("utf-8", "replace"), internal)
            except OSError:
                leaks.append(Leak(relative, "onleesbaar gzip-bestand"))
        elif path.suffix in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8", errors="replace")
            leaks += _verify_text(relative, text, internal)
            if relative == "search/search_index.json":
                leaks += _verify_search_index(relative, text, internal)
    return leaks


def _verify_html(relative: str, data: bytes, internal: Internal) -> list[Leak]:
    leaks = []
    tree = lxml.html.fromstring(data)
    page_url = _page_url(relative)
    content = tree.xpath('//article') or [tree]
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if is_intern(element):
            leaks.append(Leak(relative, f"element met de klasse 'intern' (<{element.tag}>)"))
        for name, value in element.attrib.items():
            if name in ("href", "src"):
                target = site_target(page_url, value)
                if target is not None and target in internal.urls:
                    leaks.append(Leak(relative, f"verwijzing naar de interne pagina /{target}"))
            elif _mentions(value, internal.urls):
                leaks.append(Leak(relative, f"adres van een interne pagina in het attribuut {name}"))
        if element.tag == "title" or _is_navigation(element):
            text = " ".join((element.text_content() or "").split())
            if text in internal.titles:
                leaks.append(Leak(relative, f"titel van een interne pagina: '{text}'"))
    for root in content:
        for comment in root.xpath(".//comment()"):
            leaks.append(Leak(relative, "HTML-opmerking (<!-- … -->) in de inhoud"))
    text = etree.tostring(tree, encoding="unicode", method="text")
    if _mentions(text, internal.urls):
        leaks.append(Leak(relative, "adres van een interne pagina in de tekst"))
    return leaks


# Where an internal address may start and what may not follow it: the address as a whole path,
# so `werkinstructies/` matches `../werkinstructies/` or `werkinstructies/index.md`, not
# `werkinstructies/dagbesteding/`.
_ADDRESS_BEFORE = re.compile(r"[/\"'\s(=]")
_ADDRESS_AFTER = re.compile(r"[\w%.-]")


def address_forms(urls: frozenset[str]) -> set[str]:
    """Every spelling of the internal addresses that may not appear: the address and its sources."""
    return {form for url in urls if url for form in (url, url.rstrip("/") + ".md", url + "index.md",
                                                      url + "index.html")}


@lru_cache(maxsize=8)
def _address_finder(urls: frozenset[str]) -> ahocorasick.Automaton | None:
    """One Aho–Corasick automaton over every form of every internal address: a text is read once,
    whatever the number of internal pages (a regular expression with thousands of alternatives
    tries each of them at every position, which made the gate the slowest part of a large build)."""
    forms = address_forms(urls)
    if not forms:
        return None
    automaton = ahocorasick.Automaton()
    for form in forms:
        automaton.add_word(form, len(form))
    automaton.make_automaton()
    return automaton


def _is_navigation(element) -> bool:
    """A link of the site's navigation, tabs or footer to a page (not the table of contents of this
    page, whose entries are its own headings): these name pages by their titles."""
    classes = (element.get("class") or "").split()
    if not any(c in classes for c in NAVIGATION_CLASSES):
        return False
    return element.tag == "label" or (element.tag == "a" and not (element.get("href") or "").startswith("#"))


# What separates the words of a text, for finding addresses with a query string or fragment.
_SEPARATORS = re.compile(r"([\s\"'()<>=]+)")


def _as_path(word: str) -> str:
    """The path of an address without its query string or fragment, ending in / as a page does."""
    if "/" not in word or not ("?" in word or "#" in word):
        return word
    path = re.split(r"[?#]", word, maxsplit=1)[0]
    return path if path.endswith("/") else path + "/"


def normalise_addresses(text: str) -> str:
    """The addresses in a text as a browser reads them: a backslash is a slash
    (`..\\werkinstructies\\dagbesteding\\`), and a query string or fragment is not part of the page
    (`werkinstructies/dagbesteding?stap=1` is `werkinstructies/dagbesteding/`)."""
    if "\\" in text:
        text = text.replace("\\", "/")
    if "?" in text or "#" in text:  # word by word: one pass, whatever the length of a word
        text = "".join(_as_path(word) for word in _SEPARATORS.split(text))
    return text


def _mentions(text: str, urls: frozenset[str]) -> bool:
    """Does a text contain the address of an internal page, as a whole path (see `_ADDRESS_BEFORE`),
    in any spelling a browser accepts (`normalise_addresses`)?"""
    finder = _address_finder(urls)
    if finder is None:
        return False
    text = normalise_addresses(text)
    for end, length in finder.iter(text):  # every occurrence, overlapping ones included
        start = end - length + 1
        if (start == 0 or _ADDRESS_BEFORE.match(text, start - 1)) and not _ADDRESS_AFTER.match(text, end + 1):
            return True
    return False


def _verify_text(relative: str, text: str, internal: Internal) -> list[Leak]:
    leaks = []
    if _mentions(text, internal.urls):
        leaks.append(Leak(relative, "adres van een interne pagina"))
    if relative.endswith(".xml"):
        try:
            for loc in etree.fromstring(text.encode("utf-8")).iter("{*}loc"):
                target = urlsplit(loc.text or "").path.lstrip("/")
                if any(target.endswith(url) for url in internal.urls if url):
                    leaks.append(Leak(relative, f"interne pagina in de sitemap: {loc.text}"))
        except etree.XMLSyntaxError:
            leaks.append(Leak(relative, "onleesbare XML"))
    return leaks


def _verify_search_index(relative: str, text: str, internal: Internal) -> list[Leak]:
    try:
        docs = json.loads(text).get("docs", [])
    except (ValueError, AttributeError):
        return [Leak(relative, "onleesbare zoekindex")]
    leaks = []
    for doc in docs:
        location = str(doc.get("location", "")).split("#", 1)[0]
        if location in internal.urls:
            leaks.append(Leak(relative, f"interne pagina in de zoekindex: /{location}"))
        title = " ".join(str(doc.get("title", "")).split())
        if "#" not in str(doc.get("location", "")) and title in internal.titles:
            leaks.append(Leak(relative, f"titel van een interne pagina in de zoekindex: '{title}'"))
        if re.search(r"class=[\"'][^\"']*\bintern\b", str(doc.get("text", "")), re.I):
            leaks.append(Leak(relative, "interne inhoud in de zoekindex"))
    return leaks


def internal_of(project) -> Internal:
    """The addresses and titles of the project's pages that the public site does not show."""
    from buut.load.content import site_url
    from buut.render import site_view

    public_view = site_view(project, "publiek")
    public_pages = public_view.content.pages + public_view.generated
    public_urls = {site_url(p.uri) for p in public_pages}
    public_titles = {" ".join(p.meta.titel.split()) for p in public_pages}
    internal = [p for p in project.pages if site_url(p.uri) not in public_urls]
    urls = frozenset(site_url(p.uri) for p in internal) - {""}
    titles = frozenset(" ".join(p.meta.titel.split()) for p in internal) - public_titles
    return Internal(urls, titles)


def gate(site_dir: Path, project, sources: "provenance.Sources | None") -> list[str]:
    """Prune, verify, then prove every text came from a public part of the source
    (`buut/build/provenance.py`); raises LeakFound. Returns the files that were pruned."""
    removed = prune(site_dir)
    leaks = verify(site_dir, internal_of(project))
    if sources is None:  # the plugin did not build this site as the public one
        leaks.append(Leak(".", "onbekend waaruit de publieke site gemaakt is (staat de BUUT-plugin op 'site: publiek'?)"))
    else:
        leaks += [Leak(found.path, str(found).split(": ", 1)[1]) for found in provenance.check(site_dir, sources)]
    if leaks:
        raise LeakFound(leaks)
    return removed


