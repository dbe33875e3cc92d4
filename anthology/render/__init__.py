"""Rendering: author Markdown -> safe HTML (one pandoc process) -> PDF (WeasyPrint) and EPUB."""
