"""Build: the two sites, built, proven and swapped in.

Takes a repository and gives `site/intranet/` and `site/publiek/` with their search indexes.
`project` loads, checks and renders the whole repository; `site` builds both sites with mkdocs
(the state machine of `buut build`); `mkdocs_plugin` is the thin adapter mkdocs calls;
`theme_policy` and `config` decide what the theme and `mkdocs.yml` may hold; `leakgate` and
`provenance` prove the public site on its output; `preview` serves editors' edits.

Imports `buut.search`, `buut.render`, `buut.check`, `buut.load` and `buut.model`.
"""
