"""Check: what is wrong with the content, as findings with a place (`path:line:col`).

Takes the loaded records (`buut.load`) and the begrippenlijst, and gives findings: terminology
(driven by `glossary.yml`, with its word forms and patterns), privacy, editorial rules, the
public register, references between files. It changes nothing and writes nothing;
`formatters` turns findings into text, JSON or GitHub annotations.

Imports only `buut.load` and `buut.model`.
"""
