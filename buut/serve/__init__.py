"""Serve: the built sites, search and feedback for readers and editors.

Takes a built release (`site/` and its indexes) and gives the WSGI application (`app`), login
and roles (`login`), feedback and the public correction route (`feedback`, `correctie`), the
store they write to (`store`: SQLite or PostgreSQL), reminders by e-mail (`herinneren`), health
answers, releases and the nginx recipe (`deploy`).

Imports every stage below it; only `buut.cli` imports it.
"""
