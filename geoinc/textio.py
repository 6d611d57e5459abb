"""Files at the boundary: reading untrusted text with a size limit enforced while reading, and writing
output files under one rule.

Reading: a missing file, a folder, an empty text, binary data, text that is not UTF-8 and input beyond
the limit all end in one clear :class:`InputError`/:class:`NotFoundError`. Every reader goes through
:func:`read_bounded`, which stops at the limit (``/dev/zero`` and ``/dev/urandom`` cost at most the limit)
and refuses binary or non-UTF-8 data at the first bad chunk.

Writing: :func:`check_output_path` refuses a folder, a path in a missing folder and an unwritable place
before any work is done, and never creates folders; :func:`write_output` turns a failure while writing
into the same one-line :class:`InputError`.
"""
from __future__ import annotations

import codecs
import csv
import json
import os
import re
import sys
import typing
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from .errors import InputError, NotFoundError

MiB = 1024 * 1024
MAX_BYTES = 10 * MiB             # one article: far above any article, far below what would hurt memory
MAX_IMPORT_BYTES = 128 * MiB     # one file for `geoinc import` (ACLED CSV, GeoJSON, place-name sheet)
MAX_POLYGON_BYTES = 32 * MiB     # one polygon file (--polygon FILE): a detailed country outline is ~10 MB
CHUNK = MiB

T = TypeVar("T")


def _too_large(origin: str, max_bytes: int, hint: str) -> InputError:
    return InputError(f"{origin} is larger than {max_bytes / MiB:.0f} MB, the limit ({hint})")


def _not_utf8(origin: str, byte: int, offset: int) -> InputError:
    return InputError(f"{origin} is not UTF-8 text (bad byte 0x{byte:02x} at offset {offset}); "
                      "convert it, e.g. iconv -f latin1 -t utf-8")


def _binary(origin: str) -> InputError:
    return InputError(f"{origin} looks binary (it contains NUL bytes); give a UTF-8 text file")


def read_bounded(stream: BinaryIO, origin: str, *, max_bytes: int, hint: str = "split it into articles") -> str:
    """The UTF-8 text of a binary stream, read in chunks: InputError as soon as it passes ``max_bytes``,
    holds a NUL byte or stops being UTF-8 (a leading BOM is dropped)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    parts: list[str] = []
    total = 0
    while True:
        chunk = stream.read(min(CHUNK, max_bytes + 1 - total))
        if not chunk:
            break
        if b"\x00" in chunk:
            raise _binary(origin)
        pending = len(decoder.getstate()[0])
        try:
            parts.append(decoder.decode(chunk))
        except UnicodeDecodeError as err:
            data = err.object
            raise _not_utf8(origin, data[err.start], total - pending + err.start) from None
        total += len(chunk)
        if total > max_bytes:
            raise _too_large(origin, max_bytes, hint)
    try:
        parts.append(decoder.decode(b"", final=True))
    except UnicodeDecodeError as err:
        raise _not_utf8(origin, err.object[err.start], total - len(err.object) + err.start) from None
    return "".join(parts)


def decode_text(data: bytes, origin: str = "input", *, max_bytes: int = MAX_BYTES,
                allow_empty: bool = False) -> str:
    """Bytes already in memory -> text; InputError for oversized, binary, non-UTF-8 or (unless
    ``allow_empty``) empty input."""
    if len(data) > max_bytes:
        raise _too_large(origin, max_bytes, "split it into articles")
    if b"\x00" in data:
        raise _binary(origin)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise _not_utf8(origin, data[err.start], err.start) from err
    if not allow_empty and not text.strip():
        raise InputError(f"{origin} is empty: no text to read")
    return text


def _open_for_reading(path: Path, expected: str) -> BinaryIO:
    if not path.exists():
        raise NotFoundError(f"no such file: {path}")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give {expected}")
    try:
        return open(path, "rb")
    except PermissionError as err:
        raise InputError(f"cannot read {path}: permission denied") from err
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from err


def read_text_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES, allow_empty: bool = False,
                   expected: str = "a text file", hint: str = "split it into articles") -> str:
    """The UTF-8 text of a file (or device, or pipe), read by :func:`read_bounded`; ``expected`` names
    what the user should give, ``hint`` what to do with a file over the limit."""
    path = Path(path)
    fh = _open_for_reading(path, expected)
    try:
        with fh:
            text = read_bounded(fh, str(path), max_bytes=max_bytes, hint=hint)
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from err
    if not allow_empty and not text.strip():
        raise InputError(f"{path} is empty: no text to read")
    return text


def iter_text_lines(path: str | os.PathLike[str], *, max_line_bytes: int = MAX_BYTES,
                    expected: str = "a JSONL file") -> Iterator[tuple[int, str]]:
    """(line number, text) of each line of a UTF-8 file, streamed: memory stays bounded by the longest
    line, which may not pass ``max_line_bytes``."""
    path = Path(path)
    fh = _open_for_reading(path, expected)
    with fh:
        lineno = 0
        while True:
            try:
                raw = fh.readline(max_line_bytes + 1)
            except OSError as err:
                raise InputError(f"cannot read {path}: {err.strerror or err}") from err
            if not raw:
                return
            lineno += 1
            where = f"{path}:{lineno}"
            if len(raw) > max_line_bytes:
                raise _too_large(f"line {lineno} of {path}", max_line_bytes, "one article per line")
            if b"\x00" in raw:
                raise _binary(where)
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as err:
                raise _not_utf8(where, raw[err.start], err.start) from None
            yield lineno, line.rstrip("\r\n")


def read_text_input(path_or_dash: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> str:
    """The text of a file, or of standard input for "-", read by :func:`read_bounded`."""
    if str(path_or_dash) == "-":
        text = read_bounded(sys.stdin.buffer, "standard input", max_bytes=max_bytes)
        if not text.strip():
            raise InputError("standard input is empty: no text to read")
        return text
    return read_text_file(path_or_dash, max_bytes=max_bytes, expected="a text file (or - for standard input)")


# --- writing ---------------------------------------------------------------------------------------

def check_output_path(value: str | os.PathLike[str], flag: str = "-o") -> Path:
    """The path an output may be written to, checked before any work: InputError for an empty name, a
    folder, a missing or non-folder parent, or a place this process cannot create or replace a file in.

    The one rule for every writer: geoinc never creates folders; the user makes them."""
    text = os.fspath(value)
    if not text.strip():
        raise InputError(f"{flag}: empty file name")
    path = Path(text).expanduser()
    if path.is_dir():
        raise InputError(f"{flag} {text}: is a folder; give a file name inside it, e.g. {path / 'out'}")
    parent = path.parent
    if not parent.exists():
        raise InputError(f"{flag} {text}: no such folder {parent} (geoinc does not create folders; "
                         f"make it first: mkdir -p {parent})")
    if not parent.is_dir():
        raise InputError(f"{flag} {text}: {parent} is not a folder")
    existed = path.exists()
    if existed and not path.is_file():  # a device or a pipe (/dev/stdout, a FIFO): opening it may block
        if not os.access(path, os.W_OK):
            raise InputError(f"{flag} {text}: cannot write there (permission denied)")
        return path
    try:
        with open(path, "ab"):       # a real probe: permissions, read-only file systems, /proc, /sys
            pass
    except OSError as err:
        raise InputError(f"{flag} {text}: cannot write there ({err.strerror or err})") from None
    if not existed:
        try:
            path.unlink()
        except OSError:
            pass
    return path


def write_output(value: str | os.PathLike[str], flag: str, write: Callable[[Path], T]) -> T:
    """Run ``write(path)`` on a checked output path; an OSError while writing becomes one InputError."""
    path = check_output_path(value, flag)
    try:
        return write(path)
    except OSError as err:
        raise InputError(f"{flag} {os.fspath(value)}: cannot write there ({err.strerror or err})") from None


def write_text_output(value: str | os.PathLike[str], text: str, flag: str = "-o") -> Path:
    """Write UTF-8 text to a checked output path (see :func:`write_output`); the path written."""
    return write_output(value, flag, lambda p: (p.write_text(text, encoding="utf-8"), p)[1])


def write_bytes_output(value: str | os.PathLike[str], data: bytes, flag: str = "-o") -> Path:
    """Write bytes to a checked output path (see :func:`write_output`); the path written."""
    return write_output(value, flag, lambda p: (p.write_bytes(data), p)[1])


# --- text that leaves geoinc: counts, terminals and spreadsheets ----------------------------------------

def plural(n: int, noun: str, plural_form: str | None = None) -> str:
    """A count with its noun agreeing: ``plural(1, "event type")`` -> "1 event type", 2 -> "2 event types"."""
    return f"{n} {noun if n == 1 else plural_form or noun + 's'}"


# --- --------------------------------------------

# C0 and C1 controls, DEL, and the bidirectional overrides/isolates that can reorder what a terminal shows
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")   # json escapes C0 itself
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_control(m: re.Match[str]) -> str:
    ch = m.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def terminal_safe(value: object, *, keep_newlines: bool = False) -> str:
    """Text from imported or fetched data, safe to print: control characters (ESC sequences, carriage
    returns, bidi overrides) shown as visible escapes such as ``\\x1b`` instead of acting on the terminal
    (``keep_newlines``: a multi-line text keeps its line breaks).

    Example: ``terminal_safe("Gaza\\x1b[2J")`` -> ``"Gaza\\\\x1b[2J"``."""
    if keep_newlines:
        return "\n".join(_CONTROL.sub(_escape_control, line) for line in str(value).split("\n"))
    return _CONTROL.sub(_escape_control, str(value))


def terminal_safe_json(obj: Any, **kwargs: Any) -> str:
    """``json.dumps`` (non-ASCII kept) for a terminal: json escapes C0 controls itself; DEL, C1 controls and
    bidi overrides, which it leaves raw, become ``\\uXXXX`` escapes too (still the same JSON)."""
    text = json.dumps(obj, ensure_ascii=False, **kwargs)
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# a spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV Injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_FIRST_TO_LOOK_AT = frozenset(("'", *FORMULA_STARTS))     # a cell starting otherwise is safe as it is


def neutralise_formula(value: T) -> T | str:
    """One CSV cell, safe to open in a spreadsheet: text that starts like a formula gets a leading ``'``
    (OWASP's advice); numbers such as ``-12.5`` stay numbers. A text that already starts with quotes and
    then a formula character gets one more, so :func:`restore_formula` gives back exactly the original.

    Example: ``neutralise_formula("=HYPERLINK(...)")`` -> ``"'=HYPERLINK(...)"``."""
    if not isinstance(value, str) or not value or value[0] not in _FIRST_TO_LOOK_AT:
        return value
    rest = value.lstrip("'")
    if rest[:1] and rest[0] in FORMULA_STARTS and not _NUMBER.fullmatch(rest):
        return "'" + value
    return value


def restore_formula(cell: str) -> str:
    """The inverse of :func:`neutralise_formula`, for geoinc's own exports read back by ``geoinc import``
    (a quote before anything else, e.g. ``'Aqrabat``, is kept)."""
    if cell[:1] == "'" and neutralise_formula(cell[1:]) == cell:
        return cell[1:]
    return cell


class FormulaSafeWriter:
    """``csv.writer`` whose rows go through :func:`neutralise_formula`: every CSV geoinc writes."""

    def __init__(self, fh: "typing.TextIO", **kwargs: Any) -> None:
        self._writer = csv.writer(fh, **kwargs)
        # csv quotes a field only for the characters of its own line terminator: with "\n" a bare "\r"
        # would go out unquoted and split the row in a reader; such rows are written fully quoted
        self._quoted = csv.writer(fh, **{**kwargs, "quoting": csv.QUOTE_ALL})
        self._bare_cr = "\r" not in self._writer.dialect.lineterminator

    def writerow(self, row: Iterable[Any]) -> Any:
        cells = [neutralise_formula(v) for v in row]
        if self._bare_cr and any(isinstance(c, str) and "\r" in c for c in cells):
            return self._quoted.writerow(cells)
        return self._writer.writerow(cells)


__all__ = ["read_text_input", "read_text_file", "read_bounded", "iter_text_lines", "decode_text",
           "check_output_path", "write_output", "write_text_output", "write_bytes_output", "terminal_safe",
           "terminal_safe_json", "plural",
           "neutralise_formula", "restore_formula", "FormulaSafeWriter",
           "MAX_BYTES", "MAX_IMPORT_BYTES", "MAX_POLYGON_BYTES"]
