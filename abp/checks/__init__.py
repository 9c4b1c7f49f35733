"""Checks of what contributors write: ``bib`` (references.bib, on the model) and ``po`` (the
strict syntax of the ``.po`` files). Pure functions: they report, the callers decide."""
