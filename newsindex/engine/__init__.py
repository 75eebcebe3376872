"""The search engine behind newsindex: the only package that imports Whoosh.

Everything above this package speaks in newsindex's own types (``Article``,
``Hit``, ``SearchResults``, errors from :mod:`newsindex.errors`); a different
engine could sit beside this one without touching the rest.
"""
