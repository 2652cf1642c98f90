"""What the site configuration may say: `mkdocs.yml` and `mkdocs.publiek.yml`, read as data.

Editors edit `mkdocs.yml` for the navigation, so a pull request can change it: before mkdocs
reads the file (with PyYAML's unsafe loader), BUUT reads it safely and refuses every key that is
not listed, hooks and other plugins, unknown Markdown extensions, Python objects
(`!!python/name:`), theme templates or scripts from outside BUUT, and anything from other hosts
(`check_config_file`); `check_config` checks what mkdocs made of it. `!ENV` is allowed only for
`repo_url` and `edit_uri`, each from its own documented variable. What the theme's values may be
is `buut.build.theme_policy`'s.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from buut.load.content import nav_links
from buut.load.policy import MAX_YAML_DEPTH, SCHEME
from buut.model import Finding, Level

# The generator's configuration: what mkdocs.yml may switch on.
ALLOWED_PLUGINS = {"buut", "search", "material/search"}
ALLOWED_EXTENSIONS = {
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc", "sane_lists",
    "fenced_code",  # mkdocs adds toc, tables and fenced_code itself
    "pymdownx.emoji",  # the theme's icons (:material-check:), with the names yamlio.ALLOWED_PYTHON_NAMES
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist", "pymdownx.mark",
    "pymdownx.caret", "pymdownx.tilde", "pymdownx.smartsymbols", "pymdownx.betterem", "pymdownx.keys",
}


# mkdocs.yml, read by BUUT (safely) before mkdocs reads it (with PyYAML's unsafe loader): what
# each file may say. Every key not listed is refused; so is every tag but `!ENV` and `!relative`.
CONFIG_FOLDERS = {"mkdocs.yml": ("docs", "site/intranet"), "mkdocs.publiek.yml": ("publiek", "site/publiek")}
CONFIG_KEYS = {
    "INHERIT", "site_name", "site_description", "site_author", "site_url", "copyright", "docs_dir", "site_dir",
    "repo_url", "repo_name", "edit_uri", "strict", "use_directory_urls", "validation", "theme", "extra_css",
    "extra_javascript", "plugins", "markdown_extensions", "nav", "extra", "not_in_nav", "exclude_docs",
}
THEME_KEYS = {"name", "language", "font", "features", "palette", "icon", "custom_dir", "logo", "favicon"}
EXTRA_KEYS = {"generator"}  # nothing that loads from other hosts (analytics, consent, social)
# The only values an environment variable may fill, each from its own documented variable.
ENV_KEYS = {"repo_url": "BUUT_REPO_URL", "edit_uri": "BUUT_EDIT_URI"}
_TEXT_KEYS = ("site_name", "site_description", "site_author", "copyright", "repo_name")


def check_config_file(path: Path, root: Path) -> list[Finding]:
    """What is wrong with a mkdocs configuration file, read as data; nothing in it is run."""
    from buut.build import theme_policy
    from buut.load import yamlio

    shown = path.name
    if path.is_symlink() or not path.is_file():
        return [Finding(shown, 1, 1, Level.ERROR, "bestand ontbreekt of is een symbolische koppeling", "config")]
    try:
        data = yamlio.load_config(path.read_text(encoding="utf-8"))
    except yamlio.YamlProblem as problem:
        return [problem.finding(shown, "config")]
    except (OSError, UnicodeDecodeError):
        return [Finding(shown, 1, 1, Level.ERROR, "kan het bestand niet lezen als UTF-8", "config")]
    if not isinstance(data, dict):
        return [Finding(shown, 1, 1, Level.ERROR, "de configuratie moet sleutels met waarden zijn", "config")]
    problems: list[Finding] = []

    def refuse(key, message: str, container=data) -> None:
        line = container.line_of(key) if hasattr(container, "line_of") else 1
        problems.append(Finding(shown, line, 1, Level.ERROR, message, "config"))

    for key, value in data.items():
        if key not in CONFIG_KEYS:
            refuse(key, f"'{key}' is niet toegestaan in de configuratie (toegestaan: {', '.join(sorted(CONFIG_KEYS))})")
        elif isinstance(value, yamlio.EnvValue) and key not in ENV_KEYS:
            refuse(key, f"'{key}' mag niet uit een omgevingsvariabele komen (!ENV): die kan een geheim bevatten")
        elif isinstance(value, yamlio.EnvValue) and (len(value) not in (1, 2) or value[0] != ENV_KEYS[key]):
            refuse(key, f"'{key}' mag alleen uit {ENV_KEYS[key]} komen: !ENV [{ENV_KEYS[key]}, standaardwaarde]")
        elif _nested_env(value):
            refuse(key, f"'{key}' bevat !ENV; dat mag alleen bij {', '.join(sorted(ENV_KEYS))}")
    expected = CONFIG_FOLDERS.get(path.name)
    if expected:
        for key, folder in zip(("docs_dir", "site_dir"), expected):
            if key in data and data[key] != folder:
                refuse(key, f"'{key}' is in {path.name} altijd '{folder}'")
    if "INHERIT" in data and (path.name != "mkdocs.publiek.yml" or data["INHERIT"] != "mkdocs.yml"):
        refuse("INHERIT", "INHERIT mag alleen in mkdocs.publiek.yml, en alleen naar mkdocs.yml")
    for key in _TEXT_KEYS:
        if key in data and data[key] is not None and not theme_policy.plain_text(data[key]):
            refuse(key, f"'{key}' is gewone tekst: geen HTML, geen < > of \"")
    for key in ("repo_url", "site_url", "edit_uri"):
        for value, where in _values(data.get(key), key):
            if value is None:
                continue
            if key == "edit_uri" and isinstance(value, str) and not SCHEME.match(value) \
                    and re.match(r"^[^\s\"'<>]*$", value):
                continue  # a path within the repository
            if not isinstance(value, str) or not re.match(r"^https?://[^\s\"'<>]+$", value):
                refuse(key, f"'{key}'{where} moet een http(s)-adres zijn" + (" of een pad" if key == "edit_uri" else ""))
    theme = data.get("theme")
    for key, message, container in theme_policy.check_theme(theme, root / "docs") if theme is not None else ():
        refuse(key, message, container if container is not None else data)
    if isinstance(theme, dict):
        for key, value in theme.items():
            if key not in THEME_KEYS:
                refuse(key, f"thema-instelling '{key}' is niet toegestaan", theme)
            elif key == "font" and value is not False:
                refuse(key, "'font' moet false zijn: lettertypen van een andere host zijn niet toegestaan", theme)
    extra = data.get("extra")
    if isinstance(extra, dict):
        for key in extra:
            if key not in EXTRA_KEYS:
                refuse(key, f"'extra: {key}' is niet toegestaan (toegestaan: {', '.join(sorted(EXTRA_KEYS))})", extra)
    elif extra is not None:
        refuse("extra", "'extra' moet sleutels met waarden zijn")
    for key in ("extra_css", "extra_javascript"):
        for item in data.get(key) or []:
            target = item.get("path", "") if isinstance(item, dict) else str(item)
            if SCHEME.match(target) or ".." in target.split("/"):
                refuse(key, f"'{key}' laadt {target} van een andere host; alleen bestanden van de site zelf")
    for item in nav_links(data.get("nav")):
        if SCHEME.match(item) and not item.startswith(("http://", "https://", "mailto:")):
            refuse("nav", f"navigatie-item '{item}': alleen pagina's en http(s)-adressen")
    return problems


def _values(value, key: str) -> list[tuple[object, str]]:
    """The values a configuration key can take: itself, or for `!ENV` the default and what the
    environment holds now (with where it came from, for the message)."""
    from buut.load.yamlio import EnvValue

    if not isinstance(value, EnvValue):
        return [(value, "")]
    found = [(value[1] if len(value) == 2 else None, " (standaardwaarde van !ENV)")]
    variable = ENV_KEYS.get(key)
    if variable and variable in os.environ:
        found.append((os.environ[variable], f" (uit {variable})"))
    return found


def _nested_env(value, depth: int = 0) -> bool:
    from buut.load.yamlio import EnvValue

    if depth > MAX_YAML_DEPTH:
        return False
    if isinstance(value, EnvValue):
        return depth > 0
    if isinstance(value, dict):
        return any(_nested_env(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(_nested_env(v, depth + 1) for v in value)
    return False


def check_config(config, root: Path) -> list[str]:
    """What is wrong with a loaded mkdocs configuration, in Dutch (an empty list: it may be used)."""
    problems = []
    if config.get("hooks"):
        problems.append("'hooks' voert Python-code uit tijdens het bouwen en is niet toegestaan")
    unknown = sorted(set(config["plugins"]) - ALLOWED_PLUGINS)
    if unknown:
        problems.append(f"plugin(s) niet toegestaan: {', '.join(unknown)} (toegestaan: {', '.join(sorted(ALLOWED_PLUGINS))})")
    extensions = [e if isinstance(e, str) else type(e).__name__ for e in config["markdown_extensions"]]
    refused = sorted(set(extensions) - ALLOWED_EXTENSIONS)
    if refused:
        problems.append(f"Markdown-extensie(s) niet toegestaan: {', '.join(refused)}")
    if _has_code(config.get("mdx_configs") or {}) or _has_code(dict(config.get("extra") or {})):
        problems.append("de configuratie bevat een verwijzing naar Python-code (!!python/name:); dat is niet toegestaan")
    if config.get("extra_templates"):
        problems.append("'extra_templates' zijn sjablonen die code kunnen uitvoeren; niet toegestaan")
    theme_dir = config["theme"].custom_dir if config.get("theme") is not None else None
    if theme_dir and not _in_package(Path(theme_dir)):
        problems.append("'custom_dir' van het thema mag alleen naar de sjablonen van BUUT zelf wijzen (buut/templates)")
    for key in ("extra_javascript", "extra_css"):
        for item in config.get(key) or []:
            target = str(getattr(item, "path", item))
            if re.match(r"^[a-z][a-z0-9+.-]*:|^//", target, re.I):
                problems.append(f"'{key}' laadt {target} van een andere host; de site vraagt niets op bij andere hosts")
    for key in ("docs_dir", "site_dir"):
        folder = Path(config[key]).resolve()
        if not folder.is_relative_to(root.resolve()) and not (key == "site_dir" and _serve_dir(folder)):
            problems.append(f"'{key}' ligt buiten de repository")
    return problems


def _serve_dir(folder: Path) -> bool:
    """The temporary folder `mkdocs serve` builds into (tempfile.mkdtemp(prefix="mkdocs_")): the editors'
    preview. mkdocs.yml itself must still name site/intranet (check_config_file)."""
    return folder.name.startswith("mkdocs_") and folder.parent == Path(tempfile.gettempdir()).resolve()


def _has_code(value, depth: int = 0) -> bool:
    if depth > MAX_YAML_DEPTH:
        return True
    if isinstance(value, dict):
        return any(_has_code(v, depth + 1) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_code(v, depth + 1) for v in value)
    if callable(value):
        from buut.load.yamlio import ALLOWED_PYTHON_NAMES

        return f"{getattr(value, '__module__', '')}.{getattr(value, '__name__', '')}" not in ALLOWED_PYTHON_NAMES
    return type(value).__module__ not in ("builtins", "datetime")


def _in_package(folder: Path) -> bool:
    import buut

    package = Path(buut.__file__).resolve().parent
    return folder.resolve().is_relative_to(package)
