"""A YAML text read with its node tree, so that problems can name the line of each value.

Example::

    >>> from realpolitik.errors import AlertRulesError
    >>> data, node = read_yaml_nodes("rules:\\n  - name: a\\n", "rules.yaml", AlertRulesError)
    >>> data, node.start_mark.line
    ({'rules': [{'name': 'a'}]}, 0)
"""

from __future__ import annotations

from typing import Any

import yaml

from ..errors import DataFileError

__all__ = ["read_yaml_nodes"]


def read_yaml_nodes(text: str, path: str, error: type[DataFileError]) -> tuple[Any, Any]:
    """The data of one YAML document and its root node (None for an empty text), or ``error``
    naming ``path`` when the text is not valid YAML."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise error(f"not valid YAML: {exc}", path) from None
    finally:
        loader.dispose()
    return data, node
