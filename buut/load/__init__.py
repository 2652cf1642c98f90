"""Load: the repository read into BUUT's data types, and nothing decided about it yet.

Takes the files of a BUUT repository (Markdown pages with front matter, `partners/`, `teams/`,
`werkkader/versies.yml`, `mkdocs.yml`) and gives `model` records: pages, voorzieningen, partners,
teams, change notes, each value still knowing its file and line. What a file may be (paths,
symlinks, sizes, depth) is decided here, in `policy`, before anything reads it.

Imports only `buut.model`.
"""
