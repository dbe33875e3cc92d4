"""anthology: turn many authors' Markdown chapters into a book."""

__version__ = "0.1.0"
