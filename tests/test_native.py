"""The mypyc-compiled twins (geoparser, incidents, claims): used when built from the current source, identical to pure
Python."""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

import geoinc
from geoinc import native

from conftest import DATA, SAMPLES

PACKAGE = Path(geoinc.__file__).parent

DUMP = """
import json, sys
from dataclasses import asdict
from pathlib import Path
from geoinc import check_distances, extract_incidents, geoparse
from geoinc.articles import read_articles
from geoinc.native import status
paths = [Path(p) for p in sys.argv[1:]]
arts = [a for p in paths for a in read_articles(p)]
print(json.dumps({"status": status(), "mentions": [[asdict(m) for m in geoparse(p.read_text(encoding="utf-8"))]
                                                   for p in paths],
                  "incidents": [[asdict(i) for i in extract_incidents(a.text, a.published or "2024-01-29")]
                                for a in arts],
                  "claims": [[asdict(c) for c in check_distances(a.text)] for a in arts]}, sort_keys=True, default=str))
"""


def _articles() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt")) + sorted((DATA / "articles").glob("*.txt"))


def _run(env_extra: dict[str, str]) -> dict:
    env = {**os.environ, **env_extra}
    out = subprocess.run([sys.executable, "-c", DUMP, *map(str, _articles())], capture_output=True, text=True,
                         env=env, check=True)
    return json.loads(out.stdout)


def test_pure_python_switch_and_identical_mentions() -> None:
    """GEOINC_PURE_PYTHON=1 runs the pure modules; whatever runs by default gives the very same mentions, incidents
    and distance claims."""
    pure = _run({"GEOINC_PURE_PYTHON": "1"})
    assert set(pure["status"]) == {f"geoinc.{m}" for e in native.TWINNED for m in native.members(e)}
    assert {"geoinc.geoparser.recognizer", "geoinc.geoparser.resolve", "geoinc.geoparser.rules"} <= set(pure["status"])
    assert all(s.startswith("pure Python (GEOINC_PURE_PYTHON") for s in pure["status"].values())
    default = _run({"GEOINC_PURE_PYTHON": ""})
    assert len(pure["mentions"]) == len(_articles()) >= 6
    assert sum(map(len, pure["mentions"])) > 50
    assert default["mentions"] == pure["mentions"]
    assert sum(map(len, pure["incidents"])) >= 10 and sum(map(len, pure["claims"])) >= 5
    assert default["incidents"] == pure["incidents"]
    assert default["claims"] == pure["claims"]
    here = [[asdict(m) for m in geoinc.geoparse(p.read_text(encoding="utf-8"))] for p in _articles()]
    assert json.loads(json.dumps(here, sort_keys=True)) == pure["mentions"]


@pytest.mark.parametrize("leaf", [m for e in native.TWINNED for m in native.members(e)])
def test_a_built_twin_is_used(leaf: str) -> None:
    """When setup.py compiled a twin for this source tree, that module runs compiled (not silently stale)."""
    folder, _, name = leaf.rpartition(".")
    built = list((PACKAGE / folder).glob(f"_native_{name}.*.so")) + list((PACKAGE / folder).glob(f"_native_{name}.*.pyd"))
    if not built:
        pytest.skip("no compiled twin in this install (pure-Python build); see README, Performance")
    module = importlib.import_module(f"geoinc.{leaf}")
    state = native.status()[f"geoinc.{leaf}"]
    if os.environ.get("GEOINC_PURE_PYTHON", "").strip() not in ("", "0"):
        assert state.startswith("pure Python")
    else:
        assert state == "compiled (mypyc)", state
        assert module.NATIVE is True
        inner = {"resolve": "resolve_spans", "recognizer": "Recognizer", "rules": "judge", "tokens": "tokenize",
                 "metonymy": "is_metonym"}.get(name)
        if inner is not None:
            assert getattr(module, inner).__module__ == f"geoinc.{folder}._native_{name}"
        if name == "resolve":       # the entry points stay pure Python: they check their own arguments
            assert module.geoparse.__module__ == module.resolve_name.__module__ == "geoinc.geoparser.resolve"
        if name == "extract":
            assert module.extract_incidents.__module__ == "geoinc.incidents.extract"
            assert module._read.__module__ == "geoinc.incidents._native_extract"
        if name == "measure":       # check_distances checks its own arguments; Tolerance checks its fields
            assert module.check_distances.__module__ == "geoinc.claims.measure"
            assert module.check_claim.__module__ == "geoinc.claims._native_measure"
            with pytest.raises(geoinc.InputError, match="tolerance relative"):
                module.Tolerance(relative="wide")
            with pytest.raises(geoinc.InputError, match="needs text"):
                module.check_distances(b"bytes")


def test_stale_twin_is_refused(tmp_path: Path) -> None:
    """A twin built from other source bytes of ANY module of its group is not adopted: the pure names stay and
    the reason is recorded."""
    import shutil

    copy = tmp_path / "geoinc"
    shutil.copytree(PACKAGE / "geoparser", copy / "geoparser", ignore=shutil.ignore_patterns("_native_*", "__pycache__"))
    assert native.group_digest("geoparser", copy) == native.group_digest("geoparser")
    tokens = copy / "geoparser" / "tokens.py"       # another member than the module adopting its twin
    tokens.write_text(tokens.read_text(encoding="utf-8") + "\n# edited after the build\n", encoding="utf-8")
    assert native.group_digest("geoparser", copy) != native.group_digest("geoparser")
    sentinel = object()
    namespace = {"__name__": "geoinc.geoparser.recognizer", "__file__": str(copy / "geoparser" / "recognizer.py"),
                 "Recognizer": sentinel}
    before = dict(native._STATUS)
    saved = dict(native._DIGESTS)
    try:
        adopted = native.adopt_twin(namespace)
        reason = native._STATUS["geoinc.geoparser.recognizer"]
    finally:
        native._STATUS.clear()
        native._STATUS.update(before)
        native._DIGESTS.clear()
        native._DIGESTS.update(saved)
    assert adopted is False
    assert namespace["Recognizer"] is sentinel
    assert reason.startswith("pure Python (")


def test_twin_sources_point_at_their_group() -> None:
    """The generated copy imports its group's twins (native calls inside the group) and carries the digest."""
    text = native.twin_source("geoparser", "geoparser.recognizer")
    assert "from ._native_tokens import" in text and "from .tokens import" not in text
    assert "from ..text import name_key" in text
    assert text.rstrip().endswith(f"SOURCE_SHA256 = {native.group_digest('geoparser')!r}")
    assert not list(PACKAGE.rglob("_native_*.py"))      # generated copies live in the build tree only
