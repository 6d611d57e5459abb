"""One database connection per thread, shared by the store backends: opened on first use, all closed at once."""
from __future__ import annotations

import threading
from typing import Any, Self


class PerThreadConnections:
    """Base of a store backend: each thread gets its own connection (the backend opens it and hands it to
    :meth:`_keep`); :meth:`close` closes every one, and the store is a context manager that closes on exit."""

    _CLOSE_ERRORS: tuple[type[BaseException], ...] = (Exception,)   # a broken connection may fail to close

    def _init_connections(self) -> None:
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()

    def _keep(self, conn: Any) -> Any:
        """Remember a connection just opened so that :meth:`close` closes it; returns it."""
        with self._lock:
            self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                try:
                    conn.close()
                except self._CLOSE_ERRORS:
                    pass
            self._all.clear()
        self._local = threading.local()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
