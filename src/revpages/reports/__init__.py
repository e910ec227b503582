"""Running reports: query files and their front matter, shared models, the sandboxed DuckDB
engine.
"""
