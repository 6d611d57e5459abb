"""Compiled twins of the hot pure-Python modules (the recogniser), built by mypyc at install time.

``setup.py`` copies each module in :data:`TWINNED` (``geoinc/mentions.py``) to ``geoinc/_native_mentions.py``
with the SHA-256 of the source appended, and compiles that copy with mypyc when it can (no compiler, no
mypy, or a failed build leaves the pure module alone). At the end of its import the pure module calls
:func:`adopt_twin`, which swaps in the compiled functions and classes only when the twin was built from
this very source: editing ``mentions.py`` in an editable install falls back to pure Python (same results,
slower) until ``pip install -e .`` rebuilds it. ``GEOINC_PURE_PYTHON=1`` forces the pure modules.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import os
from pathlib import Path
from typing import Any

TWINNED = ("geoparser.recognizer", "geoparser.resolve")      # modules of this package with a compiled twin
_STATUS: dict[str, str] = {}            # module name -> how it runs ("compiled (mypyc)" or why not)


def source_sha256(path: str | os.PathLike[str]) -> str:
    """The digest that ties a compiled twin to the source it was built from."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def twin_name(module: str) -> str:
    """``geoinc.geoparser.recognizer`` -> ``geoinc.geoparser._native_recognizer``."""
    package, _, leaf = module.rpartition(".")
    return f"{package}._native_{leaf}"


def adopt_twin(namespace: dict[str, Any], keep: tuple[str, ...] = ()) -> bool:
    """Replace the pure module's names in ``namespace`` (its ``globals()``) by its compiled twin's when a twin
    built from this exact source is importable; otherwise leave them. Returns whether it did.

    Names in ``keep`` stay pure: public entry points that check their own arguments (compiled functions
    reject a wrong argument type with a bare TypeError before the function's own clear message); they
    still call the compiled helpers, looked up in this same namespace."""
    module = namespace["__name__"]
    if os.environ.get("GEOINC_PURE_PYTHON", "").strip() not in ("", "0"):
        _STATUS[module] = "pure Python (GEOINC_PURE_PYTHON is set)"
        return False
    try:
        twin = importlib.import_module(twin_name(module))
    except ImportError:
        _STATUS[module] = "pure Python (no compiled twin was built; see README, Performance)"
        return False
    if not str(getattr(twin, "__file__", "")).endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
        _STATUS[module] = "pure Python (the compiled twin failed to build; see the pip install output)"
        return False
    source = namespace.get("__file__")
    if not source or getattr(twin, "SOURCE_SHA256", None) != source_sha256(source):
        _STATUS[module] = "pure Python (the compiled twin is older than the source: rerun pip install -e .)"
        return False
    for key, value in vars(twin).items():
        if not key.startswith("__") and key not in ("SOURCE_SHA256", "NATIVE") and key not in keep:
            namespace[key] = value
    _STATUS[module] = "compiled (mypyc)"
    return True


def status() -> dict[str, str]:
    """How each twinned module runs in this process, e.g. ``{"geoinc.geoparser.recognizer": "compiled (mypyc)"}``."""
    for leaf in TWINNED:
        importlib.import_module(f"{__package__}.{leaf}")
    return dict(_STATUS)


__all__ = ["adopt_twin", "status", "source_sha256", "twin_name", "TWINNED"]
