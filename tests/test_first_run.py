"""The first command of a fresh install builds the gazetteer index (about a minute): on a terminal it says
so and shows a progress bar instead of looking hung (issue 16, first hour 3)."""
from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run_on_a_terminal(argv: list[str], env: dict[str, str], timeout: float = 900.0) -> tuple[int, str]:
    """Run a command with stdout and stderr on a pseudo-terminal; its exit code and everything it printed."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))   # a real terminal's size
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env, cwd=ROOT)
    os.close(slave)
    chunks = []
    end = time.monotonic() + timeout
    try:
        while time.monotonic() < end:
            ready, _, _ = select.select([master], [], [], 1.0)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:   # the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=max(1.0, end - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return code, b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_first_command_on_a_terminal_says_it_builds_the_index(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("Fighting was reported near Aleppo on Monday.", encoding="utf-8")
    env = dict(os.environ, GEOINC_INDEX_DIR=str(tmp_path / "cache"), GEOINC_HOME=str(tmp_path / "home"),
               PYTHONPATH=str(ROOT), COLUMNS="100")
    code, out = _run_on_a_terminal([sys.executable, "-m", "geoinc", "places", str(text)], env)
    assert code == 0, out
    assert "building the gazetteer index" in out
    assert re.search(r"gazetteer index: 100%\|[^|]+\| 6/6", out), out   # tqdm's bar reached its end
    assert "Aleppo" in out
    # the second command finds the index and is silent about it
    code, again = _run_on_a_terminal([sys.executable, "-m", "geoinc", "places", str(text)], env)
    assert code == 0 and "building the gazetteer index" not in again and "Aleppo" in again
