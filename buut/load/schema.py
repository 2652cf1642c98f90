"""Declared schemas for BUUT's YAML: front matter, glossary, partners, voorzieningen.

Like mkdocs' `config_options`: each field is a small object that validates one value and says,
in Dutch, what is wrong. A `Schema` is a mapping of key -> field; it rejects unknown keys, reports
missing required keys and names the line of each problem. Validation collects every problem
instead of stopping at the first, so an editor fixes a file in one go.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pathlib import Path

from buut.load import yamlio
from buut.model import BuutError, Finding, Level
from buut.load.yamlio import YamlList, YamlMap


class Invalid(Exception):
    def __init__(self, message: str, line: int | None = None):
        self.message, self.line = message, line
        super().__init__(message)


@dataclass
class Problems:
    """Where problems go while a file is validated."""

    path: str
    found: list
    prefix: str = ""  # where in the file we are, e.g. "'doelgroep': "

    def add(self, line: int, message: str, rule: str = "schema") -> None:
        self.found.append(Finding(self.path, line, 1, Level.ERROR, self.prefix + message, rule))

    def within(self, key) -> "Problems":
        return Problems(self.path, self.found, f"{self.prefix}'{key}': ")

    def item(self, index: int) -> "Problems":
        return Problems(self.path, self.found, f"{self.prefix}item {index + 1}: ")


class Field:
    required = False
    default = None

    def __init__(self, *, required: bool = False, default=None, help: str = ""):
        self.required, self.default, self.help = required, default, help

    def validate(self, value, line: int, problems: Problems):  # pragma: no cover - interface
        raise NotImplementedError

    def describe(self) -> str:
        return type(self).__name__.lower()


class Text(Field):
    def __init__(self, *, pattern: str | None = None, pattern_help: str = "", allow_empty=False, **kw):
        super().__init__(**kw)
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_help, self.allow_empty = pattern_help, allow_empty

    def validate(self, value, line, problems):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # versie: 2.0 is a number to YAML, text to us
        if not isinstance(value, str):
            raise Invalid(f"moet tekst zijn, niet {_kind(value)}")
        value = value.strip()
        if not value and not self.allow_empty:
            raise Invalid("mag niet leeg zijn")
        if value and self.pattern and not self.pattern.fullmatch(value):
            raise Invalid(f"'{value}' is geen geldige waarde: {self.pattern_help}")
        return value

    def describe(self):
        return "tekst"


class Located(str):
    """A text value that remembers its line, for references checked after all files are read."""

    line: int = 0

    def __new__(cls, value: str, line: int):
        obj = super().__new__(cls, value)
        obj.line = line
        return obj


class Ref(Text):
    """An id or number that must point at something elsewhere (a partner, a werkkader section).

    Only its form is checked here; whether it resolves is checked once everything is loaded.
    """

    def validate(self, value, line, problems):
        return Located(super().validate(value, line, problems), line)

    def describe(self):
        return "verwijzing"


class Checked(Text):
    """Optional text in a known format (an e-mail address, a phone number, a web address)."""

    problem = "is ongeldig"  # completed by subclasses

    def __init__(self, **kw):
        super().__init__(allow_empty=True, **kw)

    @classmethod
    def valid(cls, value: str) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def validate(self, value, line, problems):
        value = super().validate(value, line, problems)
        if value and not self.valid(value):
            raise Invalid(f"'{value}' {self.problem}")
        return value


class Email(Checked):
    problem = "is geen geldig e-mailadres (zoals naam@voorbeeld.nl)"
    PATTERN = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

    @classmethod
    def valid(cls, value: str) -> bool:
        return bool(cls.PATTERN.fullmatch(value))

    def describe(self):
        return "e-mailadres"


class Phone(Checked):
    """A Dutch phone number: 10 digits from 0, +31 and 9 digits, 0800/0900 numbers, or 14 0xx."""

    problem = "is geen geldig telefoonnummer; schrijf bijvoorbeeld 020 123 4567, +31 20 123 4567, 0800 1234 of 14 020"

    @classmethod
    def valid(cls, value: str) -> bool:
        digits = re.sub(r"[\s().-]", "", value)
        return bool(re.fullmatch(r"0[1-9]\d{8}|\+31[1-9]\d{8}|0[89]00\d{4,7}|14\d{3,4}", digits))

    def describe(self):
        return "telefoonnummer"


class Url(Checked):
    problem = "is geen geldig webadres; begin met https:// (zoals https://www.amsterdam.nl)"
    PATTERN = re.compile(r"https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(:\d+)?(/[^\s<>\"]*)?")

    @classmethod
    def valid(cls, value: str) -> bool:
        return bool(cls.PATTERN.fullmatch(value))

    def describe(self):
        return "webadres (https://…)"


class Int(Field):
    def __init__(self, *, minimum: int | None = None, **kw):
        super().__init__(**kw)
        self.minimum = minimum

    def validate(self, value, line, problems):
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"moet een heel getal zijn, niet {_kind(value)}")
        if self.minimum is not None and value < self.minimum:
            raise Invalid(f"moet minstens {self.minimum} zijn, niet {value}")
        return value

    def describe(self):
        return "getal"


class Choice(Field):
    def __init__(self, choices, **kw):
        super().__init__(**kw)
        self.choices = tuple(choices)

    def validate(self, value, line, problems):
        if value not in self.choices:
            raise Invalid(f"'{value}' is geen geldige waarde; kies uit: {', '.join(self.choices)}")
        return value

    def describe(self):
        return "een van: " + ", ".join(self.choices)


class Date(Field):
    def validate(self, value, line, problems):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise Invalid(f"'{value}' is geen geldige datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2027-04-01")

    def describe(self):
        return "datum (JJJJ-MM-DD)"


class Bool(Field):
    def validate(self, value, line, problems):
        if not isinstance(value, bool):
            raise Invalid(f"moet ja of nee zijn (true/false), niet '{value}'")
        return value


class ListOf(Field):
    """A list of items; a single value is accepted as a list of one when `single_ok`."""

    def __init__(self, item: Field, *, single_ok: bool = False, allow_empty: bool = True, **kw):
        super().__init__(**kw)
        self.item, self.single_ok, self.allow_empty = item, single_ok, allow_empty

    def validate(self, value, line, problems):
        if not isinstance(value, list):
            if self.single_ok and not isinstance(value, dict):
                value = [value]
            else:
                raise Invalid(f"moet een lijst zijn, niet {_kind(value)}")
        if not value and not self.allow_empty:
            raise Invalid("lijst mag niet leeg zijn")
        result = []
        for index, item in enumerate(value):
            item_line = value.line_of(index) if isinstance(value, YamlList) else line
            try:
                result.append(self.item.validate(item, item_line, problems.item(index)))
            except Invalid as invalid:
                problems.item(index).add(invalid.line or item_line, invalid.message)
        return tuple(result)

    def describe(self):
        return f"lijst van {self.item.describe()}"


class Nested(Field):
    def __init__(self, schema: "Schema", **kw):
        super().__init__(**kw)
        self.schema = schema

    def validate(self, value, line, problems):
        return self.schema.validate(value, line, problems)

    def describe(self):
        return "blok met: " + ", ".join(self.schema.fields)


class Schema:
    """A mapping schema. `validate` returns a dict of clean values (defaults filled in)."""

    def __init__(self, name: str, fields: dict[str, Field]):
        self.name, self.fields = name, fields

    def validate(self, value, line: int, problems: Problems) -> dict:
        if not isinstance(value, dict):
            raise Invalid(f"{self.name} moet een blok met sleutels zijn, niet {_kind(value)}", line)
        line_of = value.line_of if isinstance(value, YamlMap) else (lambda key: line)
        clean = {}
        for key in value:
            if key not in self.fields:
                hint = _closest(str(key), self.fields)
                problems.add(line_of(key), f"onbekende sleutel '{key}' in {self.name}"
                             + (f"; bedoelt u '{hint}'?" if hint else f"; toegestaan: {', '.join(self.fields)}"))
        for key, field in self.fields.items():
            if key not in value or value[key] is None:
                if field.required:
                    problems.add(line, f"verplichte sleutel '{key}' ontbreekt in {self.name}")
                clean[key] = field.default
                continue
            try:
                clean[key] = field.validate(value[key], line_of(key), problems.within(key))
            except Invalid as invalid:
                problems.add(invalid.line or line_of(key), f"'{key}': {invalid.message}")
                clean[key] = field.default
        return clean


def _kind(value) -> str:
    if isinstance(value, dict):
        return "een blok met sleutels"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, bool):
        return "ja/nee"
    if isinstance(value, (int, float)):
        return f"het getal {value}"
    if value is None:
        return "leeg"
    return f"'{value}'"


def _closest(word: str, candidates) -> str | None:
    import difflib

    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return match[0] if match else None


def load_data_file(root: Path, relative: str, schema, rule: str, required: bool = True):
    """A YAML data file of the repository, validated; BuutError (with path:line) if it is unusable.

    A file that is not there is an error when `required`, else the schema's empty value (None).
    """
    try:
        text = (root / relative).read_text(encoding="utf-8")
    except FileNotFoundError:
        if not required:
            return None
        raise BuutError(Finding(relative, 1, 1, Level.ERROR, "bestand ontbreekt", rule)) from None
    try:
        data = yamlio.load(text)
    except yamlio.YamlProblem as problem:
        raise BuutError(problem.finding(relative, f"{rule}.yaml")) from None
    problems = Problems(relative, [])
    try:
        clean = schema.validate(data, 1, problems)
    except Invalid as invalid:
        raise BuutError(Finding(relative, invalid.line or 1, 1, Level.ERROR, invalid.message, f"{rule}.schema")) from None
    if problems.found:
        raise BuutError(problems.found)
    return clean
