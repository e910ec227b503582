"""Results into pages: chart JSON, palette, number formats, Markdown and tables, CSV downloads,
embeds, glossary.
"""
