"""SQL text shared by every stage: quoted identifiers and literals, the operators of a query
plan.
"""

from __future__ import annotations


def quote(identifier: str) -> str:
    """A SQL identifier, quoted; export headers are data and may hold any character."""
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal for our own constants (reasons), never for export values."""
    return "'" + text.replace("'", "''") + "'"


def operators(node: object) -> list[str]:
    if isinstance(node, list):
        return [name for child in node for name in operators(child)]
    if isinstance(node, dict):
        return [str(node.get("name", "")).strip(), *operators(node.get("children", []))]
    return []
