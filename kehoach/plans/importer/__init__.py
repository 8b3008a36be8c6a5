"""The plan importer: documents → ParsedPlan, pure Python (no Django inside).

Entry points: ``parser.import_document`` and ``parser.parse_plan``; ``readers.read_document``
and ``readers.read_text``. They are loaded lazily so that ``kehoach.documents.citations`` can
import the importer's date helpers without a cycle.
"""

from importlib import import_module

_EXPORTS = {
    "import_document": "parser",
    "parse_plan": "parser",
    "read_document": "readers",
    "read_text": "readers",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(name)
