"""Build hook: compile the sub-packages that geoinc/native.py lists (TWINNED) with mypyc into optional twins.

Everything else about the package is declared in pyproject.toml; how twins are made, chosen and checked is
explained once, in geoinc/native.py. This file only drives the build: it writes the generated twin sources
into the build tree (build/native-src/, beside a copy of the package that mypy reads for types), never into
the source tree, and compiles each group. geoinc works without them (pure Python, same results, slower):
when mypy/mypyc is missing, type checking fails, or there is no C compiler, the build prints a warning and
installs the pure package. ``GEOINC_PURE_PYTHON=1`` skips the compilation.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
TREE = HERE / "build" / "native-src"      # generated twin sources (the build tree, ignored by git)


def _warn(message: str) -> None:
    sys.stderr.write(f"geoinc setup: {message}; it stays pure Python (slower, same results)\n")


def _native():  # type: ignore[no-untyped-def]
    """geoinc/native.py loaded on its own (standard library only: the package's dependencies may be absent)."""
    spec = importlib.util.spec_from_file_location("_geoinc_native", HERE / "geoinc" / "native.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _write_tree(native) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """A copy of the package's modules (for mypy's types) plus each group's twins, under TREE; returns the
    twin paths per TWINNED entry, relative to TREE."""
    shutil.rmtree(TREE, ignore_errors=True)
    root = HERE / "geoinc"
    for path in root.rglob("*.py"):
        if path.name.startswith("_native_"):
            continue
        target = TREE / "geoinc" / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    groups = {}
    for entry in native.TWINNED:
        paths = []
        for module in native.members(entry, root):
            package, _, leaf = module.rpartition(".")
            rel = Path("geoinc", *package.split("."), f"_native_{leaf}.py") if package else Path("geoinc", f"_native_{leaf}.py")
            (TREE / rel).write_text(native.twin_source(entry, module, root), encoding="utf-8")
            paths.append(rel.as_posix())
        groups[entry] = paths
    return groups


def _from_here(path: str) -> str:
    """A path mypyc gave relative to TREE, made relative to this folder (where setuptools builds)."""
    return path if os.path.isabs(path) else os.path.relpath(TREE / path, HERE)


def native_extensions() -> list:
    if os.environ.get("GEOINC_PURE_PYTHON", "").strip() not in ("", "0"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _warn("mypyc (from mypy) is not available")
        return []
    native = _native()
    groups = _write_tree(native)
    cwd = os.getcwd()
    os.chdir(TREE)          # mypyc names modules by their path from here: geoinc/geoparser/_native_x.py
    exts = []
    try:
        for entry, paths in groups.items():   # one group (one runtime library) per entry: a failure costs that one
            try:
                exts += mypycify(["--ignore-missing-imports", "--follow-imports=silent", *paths],
                                 opt_level="3", debug_level="0")
            except (Exception, SystemExit) as err:  # noqa: BLE001 - any failure means: ship pure Python
                _warn(f"mypyc could not compile geoinc/{entry} ({err})")
    finally:
        os.chdir(cwd)
    for ext in exts:
        ext.sources = [_from_here(s) for s in ext.sources]
        ext.include_dirs = [_from_here(d) for d in ext.include_dirs]
        ext.depends = [_from_here(d) for d in ext.depends]
        ext.optional = True  # a compiler error skips the twin instead of failing the install
    return exts


class OptionalBuildExt(build_ext):
    """build_ext that reports a failed optional extension instead of failing the whole install."""

    def build_extension(self, ext):  # type: ignore[no-untyped-def]
        try:
            super().build_extension(ext)
        except Exception as err:  # noqa: BLE001
            if not getattr(ext, "optional", False):
                raise
            _warn(f"building {ext.name} failed ({err})")


setup(ext_modules=native_extensions(), cmdclass={"build_ext": OptionalBuildExt})
