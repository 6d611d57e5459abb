"""Reading article text from a file or standard input, with the checks every CLI needs.

Article text is untrusted: a missing file, a directory, an empty or whitespace-only text, binary data,
text that is not UTF-8 and oversized input all end in one clear :class:`InputError`/:class:`NotFoundError`.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import InputError, NotFoundError

MAX_BYTES = 10 * 1024 * 1024     # 10 MiB: far above any article, far below what would hurt memory


def decode_text(data: bytes, origin: str = "input", *, max_bytes: int | None = MAX_BYTES,
                allow_empty: bool = False) -> str:
    """Bytes -> text; raises InputError for oversized (beyond ``max_bytes``, None: no limit), binary,
    non-UTF-8 or (unless ``allow_empty``) empty input."""
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(f"{origin} is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB "
                         "(split it into articles)")
    if b"\x00" in data[:65536] or b"\x00" in data:
        raise InputError(f"{origin} looks binary (it contains NUL bytes); give a UTF-8 text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{origin} is not UTF-8 text (bad byte 0x{data[err.start]:02x} at offset {err.start}); "
                         "convert it, e.g. iconv -f latin1 -t utf-8") from err
    if not allow_empty and not text.strip():
        raise InputError(f"{origin} is empty: no text to read")
    return text


def read_text_file(path: str | os.PathLike[str], *, max_bytes: int | None = MAX_BYTES,
                   allow_empty: bool = False, expected: str = "a text file") -> str:
    """The UTF-8 text of a file, checked by :func:`decode_text`; ``expected`` names what the user should give."""
    path = Path(path)
    if not path.exists():
        raise NotFoundError(f"no such file: {path}")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give {expected}")
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(f"{path} is {size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB "
                             "(split it into articles)")
        with open(path, "rb") as fh:
            data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
    except PermissionError as err:
        raise InputError(f"cannot read {path}: permission denied") from err
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from err
    return decode_text(data, str(path), max_bytes=max_bytes, allow_empty=allow_empty)


def read_text_input(path_or_dash: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> str:
    """The text of a file, or of standard input for "-", checked by :func:`decode_text`."""
    if str(path_or_dash) == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        return decode_text(data, "standard input", max_bytes=max_bytes)
    return read_text_file(path_or_dash, max_bytes=max_bytes, expected="a text file (or - for standard input)")


__all__ = ["read_text_input", "read_text_file", "decode_text", "MAX_BYTES"]
