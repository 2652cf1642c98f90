"""One small formatter per output format for a list of findings (text, json, github)."""
from __future__ import annotations

import json

from buut.model import Finding


def _place(finding: Finding) -> str:
    if not finding.line:
        return finding.path or "buut"
    return f"{finding.path}:{finding.line}:{finding.column}"


def text(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        if f.match:
            advice = f" → gebruik {' of '.join(repr_nl(s) for s in f.suggestions)}" if f.suggestions else ""
            lines.append(f'{_place(f)}: {f.level.dutch}: "{f.match}"{advice} ({f.message})')
        else:
            lines.append(f"{_place(f)}: {f.level.dutch}: {f.message}")
    return "\n".join(lines)


def repr_nl(term: str) -> str:
    return f'"{term}"'


def as_json(findings: list[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


GITHUB_COMMAND = {"error": "error", "warning": "warning", "suggestion": "notice"}


def github(findings: list[Finding]) -> str:
    """GitHub Actions workflow commands: annotations on the changed lines of a pull request."""
    lines = []
    for f in findings:
        props = [f"file={_escape_property(f.path)}"]
        if f.line:
            props += [f"line={f.line}", f"col={f.column}"]
            if f.end_column:
                props.append(f"endColumn={f.end_column}")
        props.append(f"title={_escape_property('BUUT ' + f.rule)}")
        body = text([f]).split(": ", 1)[-1] if f.line else f.message
        lines.append(f"::{GITHUB_COMMAND[f.level.english]} {','.join(props)}::{_escape_data(body)}")
    return "\n".join(lines)


FORMATTERS = {"text": text, "json": as_json, "github": github}
