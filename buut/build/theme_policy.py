"""What the theme may put around a page's article: validated theme values, a fixed list of
scripts, one Content-Security-Policy and a sanitiser for the whole output page.

The article is sanitised where it is rendered (`policy.clean_html`); everything else on a page
(navigation, `<title>`, `<meta>`, header, palette, logo) comes from titles and `mkdocs.yml` through
the theme's Jinja templates, which escape nothing. So:

- every theme value in `mkdocs.yml` is checked against what the installed theme itself knows
  (`check_theme`): palette colours and schemes from its palette stylesheet, icons that exist in its
  icon set, a language it has, a logo or favicon that is an image file in the docs folder;
- the inline scripts a page may run are the constant ones in the theme's templates and BUUT's own
  (`FIXED_SCRIPT_HASHES`), never "what the build contains"; the theme's one script that differs per
  page (`__md_scope`, in `partials/javascripts/base.html`) is a file in BUUT's templates instead
  (`templates/assets/buut/scope.js`), so every inline script of a page is constant text;
- `CSP` allows exactly those scripts; the public site carries it in every page as a
  `<meta http-equiv>` (`META_CSP`, without `frame-ancestors`, which a meta element cannot set);
- `clean_page` sanitises the whole output page with the allow-list of `buut/load/policy.py` plus the
  theme's own elements, and keeps only the scripts of the fixed list: a new template sink cannot
  bring a script back.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from functools import cache
from pathlib import Path

import nh3

from buut.load import policy

BUUT_TEMPLATES = Path(__file__).parent.parent / "templates"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_JINJA = re.compile(r"\{[{%#]")


def theme_templates() -> Path:
    import material

    return Path(material.__file__).parent / "templates"


def _digest(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


@cache
def fixed_scripts() -> frozenset[str]:
    """The text of every inline script without template code in the theme's and BUUT's templates."""
    found = set()
    for folder in (theme_templates(), BUUT_TEMPLATES):
        for template in sorted(folder.rglob("*.html")):
            for match in _INLINE_SCRIPT.finditer(template.read_text(encoding="utf-8")):
                if not _JINJA.search(match.group(1)):
                    found.add(match.group(1))
    return frozenset(found)


@cache
def fixed_script_hashes() -> tuple[str, ...]:
    return tuple(sorted(_digest(script) for script in fixed_scripts()))


def csp(meta: bool = False) -> str:
    """The Content-Security-Policy of both sites: scripts from the site itself and the fixed inline
    scripts by hash. A `<meta>` element cannot carry `frame-ancestors` (the header can)."""
    hashes = "".join(" " + h for h in fixed_script_hashes())
    policy_text = (f"default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
                   "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; ")
    if not meta:
        policy_text += "frame-ancestors 'none'; "
    return policy_text + "base-uri 'self'; form-action 'self'"


# -- theme values in mkdocs.yml ----------------------------------------------------------------

@cache
def palette_values() -> dict[str, frozenset[str]]:
    """The colours and schemes the installed theme has a stylesheet for (`deep-purple` is written
    `deep purple` in mkdocs.yml), plus `custom` for the colours."""
    css = "".join(p.read_text(encoding="utf-8") for p in (theme_templates() / "assets" / "stylesheets").glob("*.css"))
    values = {}
    for key in ("primary", "accent", "scheme"):
        names = set(re.findall(rf"data-md-color-{key}=([a-z-]+)", css))
        if key != "scheme":
            names.add("custom")
        values[key] = frozenset(names)
    return values


MEDIA_QUERIES = {"(prefers-color-scheme)", "(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico"}
_ICON_NAME = re.compile(r"^[a-z0-9]+(?:[-_/][a-z0-9]+)*$")
_FEATURE = re.compile(r"^[a-z]+(?:[.][a-z]+)*$")
_PLAIN_TEXT = re.compile(r"^[^<>\"\x00-\x1f]*$")


def icon_exists(name) -> bool:
    """An icon of the theme's icon set (`material/pencil`): included into pages as a file."""
    return isinstance(name, str) and bool(_ICON_NAME.match(name)) \
        and (theme_templates() / ".icons" / f"{name}.svg").is_file()


def plain_text(value) -> bool:
    """Text the theme can put into a page or an attribute as it is: no markup, no quote."""
    return isinstance(value, str) and bool(_PLAIN_TEXT.match(value))


def check_theme(theme, docs_dir: Path) -> list[tuple[object, str, object]]:
    """What is wrong with the `theme` of a mkdocs configuration file: (key, Dutch message, the
    mapping the key is in), for the caller to give a line. Keys outside `buut.build.config.THEME_KEYS` and
    `font` are checked by the caller."""
    found: list[tuple[object, str, object]] = []
    if not isinstance(theme, dict):
        return [("theme", "'theme' moet sleutels met waarden zijn", None)]
    if "name" in theme and theme["name"] != "material":
        found.append(("name", "het thema is altijd 'material'", theme))
    language = theme.get("language")
    if language is not None and not (isinstance(language, str) and re.match(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$",
                                                                             language)
                                     and (theme_templates() / "partials" / "languages" / f"{language}.html").is_file()):
        found.append(("language", f"taal '{language}' kent het thema niet (bijvoorbeeld: nl)", theme))
    features = theme.get("features")
    if features is not None:
        if not isinstance(features, list) or not all(isinstance(f, str) and _FEATURE.match(f) for f in features):
            found.append(("features", "'features' is een lijst met namen zoals navigation.top", theme))
    for key in ("logo", "favicon"):
        if key in theme and theme[key] is not None:
            found += [(key, message, theme) for message in _image(key, theme[key], docs_dir)]
    icons = theme.get("icon")
    if icons is not None:
        found += _icons(icons, theme)
    palette = theme.get("palette")
    if palette is not None:
        options = palette if isinstance(palette, list) else [palette]
        for option in options:
            found += _palette_option(option, theme if option is palette else palette)
    return found


def _image(key: str, value, docs_dir: Path) -> list[str]:
    if not isinstance(value, str) or not re.match(r"^[A-Za-z0-9_./-]+$", value) or ".." in value.split("/") \
            or value.startswith("/"):
        return [f"'{key}' moet het pad van een afbeelding in {docs_dir.name}/ zijn (letters, cijfers, - _ . /)"]
    path = docs_dir / value
    if Path(value).suffix.lower() not in IMAGE_SUFFIXES:
        return [f"'{key}' moet een afbeelding zijn ({', '.join(sorted(IMAGE_SUFFIXES))}), niet '{value}'"]
    if not path.is_file() or path.is_symlink():
        return [f"'{key}': het bestand {docs_dir.name}/{value} bestaat niet"]
    return []


def _icons(icons, theme) -> list[tuple[object, str, object]]:
    if not isinstance(icons, dict):
        return [("icon", "'icon' moet sleutels met iconen zijn", theme)]
    found = []
    for key, value in icons.items():
        if isinstance(value, dict):  # admonition: {note: …}, tag: {…}
            for inner, name in value.items():
                if not icon_exists(name):
                    found.append((inner, f"icoon '{name}' ({key}.{inner}) bestaat niet in het thema", value))
        elif not icon_exists(value):
            found.append((key, f"icoon '{value}' bestaat niet in het thema (bijvoorbeeld: material/library)", icons))
    return found


def _palette_option(option, container) -> list[tuple[object, str, object]]:
    if not isinstance(option, dict):
        return [("palette", "elke keuze in 'palette' moet sleutels met waarden zijn", container)]
    known = palette_values()
    found = []
    for key, value in option.items():
        if key in ("primary", "accent", "scheme"):
            name = value.replace(" ", "-") if isinstance(value, str) else value
            if name not in known[key]:
                allowed = ", ".join(sorted(n.replace("-", " ") for n in known[key]))
                found.append((key, f"'{key}: {value}' kent het thema niet (kies uit: {allowed})", option))
        elif key == "media":
            if value not in MEDIA_QUERIES:
                found.append((key, f"'media' is een van: {', '.join(sorted(MEDIA_QUERIES))}", option))
        elif key == "toggle":
            if not isinstance(value, dict) or set(value) - {"icon", "name"}:
                found.append((key, "'toggle' heeft alleen 'icon' en 'name'", option))
                continue
            if not icon_exists(value.get("icon")):
                found.append((key, f"icoon '{value.get('icon')}' bestaat niet in het thema", option))
            if not plain_text(value.get("name")):
                found.append((key, "'toggle: name' is gewone tekst: geen <, > of \"", option))
        else:
            found.append((key, f"'{key}' is geen instelling van 'palette' (wel: scheme, primary, accent, media, "
                               "toggle)", option))
    return found


# -- the whole output page ---------------------------------------------------------------------

PAGE_TAGS = policy.ALLOWED_TAGS | {
    "meta", "link", "title", "header", "nav", "main", "footer", "aside", "article", "section", "label", "input",
    "form", "button", "textarea", "fieldset", "legend",
}
PAGE_ATTRIBUTES = {
    **policy.ALLOWED_ATTRIBUTES,
    "meta": {"charset", "name", "content"},
    "link": {"href", "type", "title"},  # and `rel`, from LINK_RELS only (type, title: the Atom feeds)
    "input": {"type", "name", "checked", "required", "placeholder", "autocomplete", "autocapitalize",
              "autocorrect", "spellcheck", "value"},
    "label": {"for"},
    "form": {"action", "method", "name", "novalidate", "data-pagina"},
    "button": {"type", "data-soort"},
    "textarea": {"name", "maxlength", "rows"},
    "*": policy.GENERIC_ATTRIBUTES | {"hidden"},
}
PAGE_PREFIXES = policy.GENERIC_PREFIXES | {"data-md-"}
PAGE_DROP_WITH_CONTENT = policy.DROP_WITH_CONTENT - {"textarea", "title"}
LINK_RELS = {"stylesheet", "icon", "prev", "next", "canonical", "alternate", "search"}
_START = re.compile(r"\s*<!doctype html>\s*<html\b([^<>]*)>\s*<head>", re.I)
_BODY = re.compile(r"</head>\s*<body\b([^<>]*)>")
_END = re.compile(r"</body>\s*</html>\s*\Z")
_STRUCTURE = re.compile(r"</?(?:html|head|body)\b", re.I)
_ANY_SCRIPT = re.compile(r"<script\b([^<>]*)>(.*?)</script\s*>", re.S | re.I)
_SCRIPT_SRC = re.compile(r'^\s+src="((?!//)[A-Za-z0-9_./-]+\.js)"\s*$')  # a file of this site
_CONFIG_SCRIPT = re.compile(r'^\s+id="__config"\s+type="application/json"\s*$')


class PageRefused(ValueError):
    """The output page is not shaped as the theme makes it (a template wrote markup it should not)."""


def clean_page(html: str, *, public: bool = False, article: str | None = None) -> str:
    """A whole output page with only the allowed elements and attributes, and only the scripts of
    the fixed list (the theme's constant inline scripts, files of the site, the theme's settings as
    JSON). On the public site the CSP goes into the page as a `<meta http-equiv>`.

    `article`: the page's content as the plugin already sanitised it (with the stricter list of
    `policy.clean_html`); where the theme put it into the page unchanged, it is not cleaned twice."""
    start = _START.match(html)
    head_end = html.find("</head>", start.end()) if start else -1
    body = _BODY.match(html, head_end) if head_end >= 0 else None
    end = _END.search(html, body.end()) if body else None
    if end is None:
        raise PageRefused("de HTML rond de inhoud is niet zoals het thema die maakt")
    head, content = html[start.end():head_end], html[body.end():end.start()]
    nonce, kept = secrets.token_hex(8), []
    saved = article if article and content.count(article) == 1 else None
    if saved is not None:
        content = content.replace(saved, _placeholder(nonce, "artikel"))
    if _STRUCTURE.search(head) or _STRUCTURE.search(content):
        raise PageRefused("de HTML rond de inhoud is niet zoals het thema die maakt (een tweede <head> of <body>)")

    def keep(match: re.Match) -> str:
        attrs, text = match.group(1), match.group(2)
        script = None
        if attrs == "" and text in fixed_scripts():
            script = f"<script>{text}</script>"
        elif _SCRIPT_SRC.match(attrs) and not text.strip():
            script = f'<script src="{_SCRIPT_SRC.match(attrs).group(1)}"></script>'
        elif _CONFIG_SCRIPT.match(attrs) and not any("__config" in s for s in kept) and _json_object(text):
            script = f'<script id="__config" type="application/json">{text}</script>'
        if script is None:
            return ""  # not in the fixed list: gone, with its text
        kept.append(script)
        return _placeholder(nonce, len(kept) - 1)

    head, content = _clean(_ANY_SCRIPT.sub(keep, head)), _clean(_ANY_SCRIPT.sub(keep, content))
    if saved is not None:
        content = content.replace(_placeholder(nonce, "artikel"), saved, 1)
    for number, script in enumerate(kept):
        head = head.replace(_placeholder(nonce, number), script, 1)
        content = content.replace(_placeholder(nonce, number), script, 1)
    if public:  # before any script, after the character set (which must come first)
        charset = re.match(r'\s*<meta charset="utf-8">', head)
        at = charset.end() if charset else 0
        head = head[:at] + f'<meta http-equiv="Content-Security-Policy" content="{csp(meta=True)}">' + head[at:]
    return (f"<!doctype html>\n<html{_attributes(start.group(1), {'lang', 'class', 'dir'})}>\n<head>{head}</head>\n"
            f"<body{_attributes(body.group(1), {'dir'})}>{content}</body>\n</html>\n")


def _placeholder(nonce: str, what) -> str:
    """An element only this call can have written (the nonce), which the sanitiser keeps as it is
    only where it is an element: inside an attribute or a title it becomes text and is not found."""
    return f'<div data-buut-keep="{nonce}-{what}"></div>'


def _json_object(text: str) -> bool:
    try:
        return "<" not in text and isinstance(json.loads(text), dict)
    except ValueError:
        return False


def _clean(fragment: str) -> str:
    options = dict(tags=PAGE_TAGS, clean_content_tags=PAGE_DROP_WITH_CONTENT, attributes=PAGE_ATTRIBUTES,
                   tag_attribute_values={"link": {"rel": LINK_RELS}}, generic_attribute_prefixes=PAGE_PREFIXES,
                   url_schemes=policy.URL_SCHEMES, filter_style_properties=policy.STYLE_PROPERTIES,
                   strip_comments=True, link_rel=None)
    cleaned = nh3.clean(fragment, **options)
    if ' id="__config"' in cleaned:  # rare: only then the slower pass that looks at every attribute
        cleaned = nh3.clean(fragment, **options, attribute_filter=_no_config_id)
    return cleaned


def _no_config_id(element: str, attribute: str, value: str) -> str | None:
    """Only the theme's settings script, put back after cleaning, has this id (the theme looks it up)."""
    return None if attribute == "id" and value == "__config" else value


def _attributes(raw: str, allowed: set[str]) -> str:
    """The attributes of the `<html>` or `<body>` element, cleaned like any other (the palette's
    `data-md-color-…` included)."""
    cleaned = nh3.clean(f"<div{raw}></div>", tags={"div"}, attributes={"div": allowed},
                        generic_attribute_prefixes={"data-md-color-"}, link_rel=None)
    match = re.match(r"^<div((?: [^<>]*)?)></div>$", cleaned)
    return match.group(1) if match else ""
