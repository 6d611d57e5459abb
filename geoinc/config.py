"""Where geoinc keeps its files and which switches are on; read from the environment, overridable by callers."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from platformdirs import user_data_dir

ENV_HOME = "GEOINC_HOME"
ENV_DB = "GEOINC_DB"
ENV_OFFLINE = "GEOINC_OFFLINE"


def home() -> Path:
    """The folder for the gazetteer index, geocoder cache, learned places and default store."""
    env = os.environ.get(ENV_HOME)
    path = Path(env).expanduser() if env else Path(user_data_dir("geoinc", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The incident store: an explicit path, else $GEOINC_DB, else incidents.gpkg under home()."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    return home() / "incidents.sqlite"


def forced_offline() -> bool:
    """True when GEOINC_OFFLINE is set to a true value: no network, whatever the caller asks."""
    return os.environ.get(ENV_OFFLINE, "").strip().lower() in {"1", "true", "yes", "on"}


def project_root() -> Path | None:
    """The source checkout holding this package, when running from one (None from an installed wheel)."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").exists() else None


def open_sqlite_file(path: Path, schema: str, what: str) -> sqlite3.Connection:
    """Open (creating folder, file and tables) one of geoinc's own SQLite files, shared by threads.

    ``schema`` is a script of idempotent statements; ``what`` names the file in the StoreError a user sees.
    """
    from .errors import StoreError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=10, check_same_thread=False)
        conn.executescript(schema)
        conn.commit()
    except (sqlite3.Error, OSError) as err:
        raise StoreError(f"cannot open {what} {path}: {err}") from err
    return conn
