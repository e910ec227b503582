"""YAML mappings with the position of every key: query-file front matter and
``_section.yml`` files are read by this one reader.

PyYAML's composer gives each key node its character index, so a problem can be
reported at ``file:line:col``; keys are taken as written ('null', 'true' and '<<' are
names here, never YAML's special values), and values are built as ``safe_load`` would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


@dataclass
class YamlProblem(Exception):
    """What is wrong (``kind``), the detail to quote and the character index it is at.

    Kinds: ``character`` (one YAML refuses; detail U+XXXX), ``syntax`` (detail: PyYAML's
    words), ``not_mapping``, ``key`` (a key that is not a plain name), ``duplicate``
    (detail: the key)."""

    kind: str
    detail: str
    index: int


@dataclass(frozen=True)
class YamlMapping:
    """Values by key, the character index (in the text read) of each key, and each scalar
    value as written (for messages: ``order: ten`` says 'ten', not a Python repr)."""

    values: dict[str, Any]
    positions: dict[str, int]
    written: dict[str, str]


def read_mapping(text: str, *, empty_ok: bool = False) -> YamlMapping:
    """``text`` as a mapping of plain keys; raises ``YamlProblem``. ``empty_ok``: a text
    with no document is an empty mapping."""
    refused = _NON_PRINTABLE.search(text)  # PyYAML would raise a ReaderError
    if refused:
        raise YamlProblem("character", f"U+{ord(refused.group()):04X}", refused.start())
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None and empty_ok:
            return YamlMapping({}, {}, {})
        if not isinstance(node, yaml.MappingNode):
            raise YamlProblem("not_mapping", "", node.start_mark.index if node else 0)
        values: dict[str, Any] = {}
        positions: dict[str, int] = {}
        written: dict[str, str] = {}
        for key_node, value_node in node.value:
            index = key_node.start_mark.index
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem("key", "", index)
            key = key_node.value
            if key in positions:
                raise YamlProblem("duplicate", key, index)
            positions[key] = index
            values[key] = loader.construct_object(value_node, deep=True)
            if isinstance(value_node, yaml.ScalarNode):
                written[key] = value_node.value
        return YamlMapping(values, positions, written)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlProblem(
            "syntax", str(error.problem or error.context), mark.index if mark else 0
        ) from None
    except yaml.YAMLError as error:
        raise YamlProblem("syntax", str(error), 0) from None
    finally:
        loader.dispose()
