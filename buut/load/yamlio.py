"""Reading YAML so that every value still knows the line it came from.

Editors make YAML mistakes; the message must name the line. `load` returns plain dicts and lists
(subclasses that carry `.line` and, for mappings, `.key_lines`) and turns PyYAML's English
errors into one Dutch sentence with a line number.

Work is bounded (see `buut/load/policy.py`): aliases (`*naam`) are refused, so an alias bomb cannot
grow, and nesting deeper than `MAX_YAML_DEPTH` is refused before it is built.
"""
from __future__ import annotations

import copy

import yaml

from buut.load.memo import Remembered
from buut.model import Finding, Level
from buut.load.policy import MAX_YAML_DEPTH


class YamlMap(dict):
    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class YamlList(list):
    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class YamlProblem(Exception):
    def __init__(self, line: int, column: int, message: str):
        self.line, self.column, self.message = line, column, message
        super().__init__(f"{line}:{column}: {message}")

    def finding(self, path: str, rule: str = "yaml") -> Finding:
        return Finding(path, self.line, self.column, Level.ERROR, self.message, rule)


class _LineLoader(yaml.SafeLoader):
    offset = 0  # added to every line: the YAML may start further down a file (front matter)
    depth = 0

    def line_of(self, mark) -> int:
        return mark.line + 1 + self.offset

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise YamlProblem(self.line_of(mark), mark.column + 1,
                              "een verwijzing (*naam) is niet toegestaan; schrijf de waarde zelf uit")
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark
                raise YamlProblem(self.line_of(mark), mark.column + 1,
                                  f"te diep genest (meer dan {MAX_YAML_DEPTH} niveaus)")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> YamlMap:
    result = YamlMap()
    result.line = loader.line_of(node.start_mark)
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = loader.line_of(key_node.start_mark)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise YamlProblem(line, key_node.start_mark.column + 1, "een sleutel moet een eenvoudige waarde zijn")
        if key in result:
            raise YamlProblem(line, key_node.start_mark.column + 1,
                              f"sleutel '{key}' staat er twee keer in (eerder op regel {result.key_lines[key]})")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = loader.line_of(node.start_mark)
    result.item_lines = [loader.line_of(child.start_mark) for child in node.value]
    return result


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode):
    """A date that looks like one but is not (2022-13-01) stays text, so the schema names its line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _dutch(problem: str) -> str:
    """PyYAML's problem text, told in Dutch where we recognise it."""
    if "\\t" in problem or "tab" in problem:
        return "tab gebruikt om in te springen; YAML wil spaties"
    known = {
        "mapping values are not allowed here": "dubbele punt op een onverwachte plek (zet de waarde tussen aanhalingstekens?)",
        "could not find expected ':'": "dubbele punt ontbreekt na de sleutel",
        "did not find expected key": "inspringing klopt niet: sleutel niet gevonden waar die verwacht werd",
        "did not find expected '-' indicator": "inspringing van de lijst klopt niet",
        "found unexpected end of stream": "bestand houdt onverwacht op (aanhalingsteken niet gesloten?)",
        "found undefined alias": "verwijzing (*alias) naar iets dat niet bestaat",
        "expected <block end>, but found": "inspringing klopt niet",
        "while scanning a quoted scalar": "aanhalingsteken niet gesloten",
        "expected ',' or ']'": "lijst tussen [ en ] is niet goed afgesloten",
        "expected ',' or '}'": "blok tussen { en } is niet goed afgesloten",
        "found character '%' that cannot start any token": "een waarde mag niet met % beginnen; zet haar tussen aanhalingstekens",
        "found character '@' that cannot start any token": "een waarde mag niet met @ beginnen; zet haar tussen aanhalingstekens",
    }
    for english, dutch in known.items():
        if english in problem:
            return dutch
    return f"ongeldige YAML ({problem})"


# What one process parsed before, by text (buut/load/memo.py). Callers get a copy, so nothing they do
# reaches the cache; a problem is kept too, and raised again.
_PARSED: Remembered[object] = Remembered()


def load(text: str, first_line: int = 1):
    """Parse YAML text; lines in values and errors are offset so line 1 is `first_line`."""
    return _remembered((text, first_line), lambda: _parse(text, first_line))


def _remembered(key: tuple, parse):
    def outcome():
        try:
            return parse()
        except YamlProblem as problem:
            return problem

    parsed = _PARSED.get(key, outcome)
    if isinstance(parsed, YamlProblem):
        raise YamlProblem(parsed.line, parsed.column, parsed.message)
    return copy.deepcopy(parsed)


def _parse(text: str, first_line: int):
    loader = _LineLoader(text)  # a SafeLoader: no Python objects
    loader.offset = first_line - 1
    try:
        return loader.get_single_data()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark and error.problem and error.problem.startswith("expected ',' or"):
            mark = error.context_mark  # an unclosed [ or {: point at where it was opened
        line = (mark.line + 1) if mark else 1
        column = (mark.column + 1) if mark else 1
        problem = error.problem or error.context or str(error)
        if error.context and "quoted scalar" in error.context:
            problem = error.context
        raise YamlProblem(line + first_line - 1, column, _dutch(problem)) from None
    except yaml.YAMLError as error:  # reader errors (control characters)
        raise YamlProblem(first_line, 1, f"ongeldige YAML ({error})") from None
    except RecursionError:
        raise YamlProblem(first_line, 1, "te diep genest") from None
    finally:
        loader.dispose()



class EnvValue(tuple):
    """`!ENV [NAAM, standaard]` in mkdocs.yml, kept as written (never looked up here)."""


class _ConfigLoader(_LineLoader):
    """mkdocs.yml as data: mkdocs' own two tags are allowed, every other tag (`!!python/…`) is an error."""


def _construct_env(loader: _ConfigLoader, node):
    if isinstance(node, yaml.SequenceNode):
        return EnvValue(loader.construct_object(child, deep=True) for child in node.value)
    return EnvValue([loader.construct_scalar(node)])


# The Python names mkdocs.yml may mention: the theme's icon set for `pymdownx.emoji`. Any other
# `!!python/…` tag is refused before mkdocs (which reads the file unsafely) ever sees it.
ALLOWED_PYTHON_NAMES = frozenset({"material.extensions.emoji.twemoji", "material.extensions.emoji.to_svg"})


class PythonName(str):
    """`!!python/name:x.y` of an allowed name, kept as text (never imported here)."""


def _construct_python_name(loader: _ConfigLoader, suffix: str, node):
    if suffix not in ALLOWED_PYTHON_NAMES:
        mark = node.start_mark
        raise YamlProblem(loader.line_of(mark), mark.column + 1,
                          f"de tag !!python/name:{suffix} is niet toegestaan: de configuratie is gegevens, geen code "
                          f"(toegestaan: {', '.join(sorted(ALLOWED_PYTHON_NAMES))})")
    return PythonName(suffix)


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _construct_python_name)
_ConfigLoader.add_constructor("!ENV", _construct_env)
_ConfigLoader.add_constructor("!relative", lambda loader, node: loader.construct_scalar(node))


def load_config(text: str):
    """Parse a mkdocs configuration safely (with line numbers); YamlProblem for any other tag."""
    return _remembered(("mkdocs", text), lambda: _parse_config(text))


def _parse_config(text: str):
    loader = _ConfigLoader(text)
    try:
        return loader.get_single_data()
    except YamlProblem:
        raise
    except yaml.constructor.ConstructorError as error:
        mark = error.problem_mark
        tag = (error.problem or "").split("tag ")[-1]
        raise YamlProblem((mark.line + 1) if mark else 1, (mark.column + 1) if mark else 1,
                          f"de tag {tag} is niet toegestaan: de configuratie is gegevens, geen code") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlProblem((mark.line + 1) if mark else 1, (mark.column + 1) if mark else 1,
                          _dutch(error.problem or str(error))) from None
    except yaml.YAMLError as error:
        raise YamlProblem(1, 1, f"ongeldige YAML ({error})") from None
    finally:
        loader.dispose()
