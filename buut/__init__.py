"""BUUT: the sociaal intranet of Amsterdam's buurtteams.

Content (Markdown and YAML in git) → load → validate → render → site (with the public filter and
the leak gate) → search index → serve → feedback store. DEVELOPERS.md maps each stage to its module.
A regular package (not a namespace package): `buut.__file__` locates BUUT's own templates.
"""
