"""All validation rules, registered explicitly (import order is catalogue order)."""

from . import book, files, glyphs, ids, keys, languages, limits, names, safety, topics, web  # noqa: F401  (registration on import)
from .registry import RULES, Finding, Rule, rule

__all__ = ["RULES", "Finding", "Rule", "rule"]
