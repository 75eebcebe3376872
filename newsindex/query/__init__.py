"""The query language, parsed once into an engine-neutral tree (:mod:`newsindex.query.tree`)."""
