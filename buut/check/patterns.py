"""Patterns that editors write (glossary.yml: vormen, scheidbaar, uitzonderingen), run safely.

Anyone can propose a glossary change in a pull request, so its patterns are input, not code. They
run under RE2, whose matching time is linear in the text whatever the pattern: `(a+)+b` cannot
hang a check or the search server. RE2 refuses what needs backtracking (backreferences such as
`\\1`, lookaround such as `(?<!…)`); such a pattern is refused when the glossary loads, with a
Dutch message. BUUT's own fixed patterns may use Python's `re`; editor patterns never do.
"""
from __future__ import annotations

import re

import re2

MAX_LENGTH = 500  # characters; a glossary pattern is a word form, not a program
MAX_MEMORY = 8 << 20  # bytes RE2 may use for one compiled pattern

# RE2's own words for what it refuses, in the Dutch an editor reads.
_REASONS = [
    (r"invalid escape sequence: \\[1-9]", "een terugverwijzing naar een eerdere groep (\\1, \\2 …) kan niet"),
    (r"invalid (perl operator|named capture group): \(\?<?[=!]",
     "vooruit- of terugkijken ((?=…), (?!…), (?<=…), (?<!…)) kan niet; schrijf de woorden uit of gebruik 'uitzonderingen'"),
    (r"missing \)", "er ontbreekt een sluithaakje ')'"),
    (r"unexpected \)|missing \(", "er staat een sluithaakje ')' te veel"),
    (r"missing \]", "er ontbreekt een ']'"),
    (r"missing argument to repetition|bad repetition operator",
     "een herhaling (*, +, ? of {n}) staat zonder iets ervoor of dubbel"),
    (r"bad repetition", "een herhaling {n,m} is te groot (hoogstens 1000)"),
    (r"pattern too large|out of memory", "het patroon is te groot"),
    (r"invalid escape sequence", "een onbekende code met een backslash (\\)"),
]


class PatternError(ValueError):
    """A pattern RE2 cannot or will not run; the message is Dutch and names the pattern."""


def options(exact: bool) -> re2.Options:
    """RE2 options: case-insensitive unless `exact`; bounded memory; errors to us, not stderr."""
    chosen = re2.Options()
    chosen.case_sensitive = exact
    chosen.log_errors = False
    chosen.max_mem = MAX_MEMORY
    return chosen


def compile_pattern(pattern: str, exact: bool = False):
    """Compile with RE2, or raise PatternError saying in Dutch what is wrong."""
    if len(pattern) > MAX_LENGTH:
        raise PatternError(f"patroon '{pattern[:40]}…' is te lang (meer dan {MAX_LENGTH} tekens)")
    try:
        return re2.compile("(?m)" + pattern, options(exact))  # ^ and $ are a line's start and end
    except re2.error as error:
        raw = error.args[0] if error.args else ""
        raw = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        why = next((reason for found, reason in _REASONS if re.search(found, raw)), f"ongeldig patroon ({raw})")
        raise PatternError(f"ongeldig patroon '{pattern}': {why}") from None
