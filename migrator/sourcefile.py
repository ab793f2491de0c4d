"""A Python file's text as Python reads it, and back to the same bytes.

Python decodes a source file by its byte-order mark or its coding declaration (PEP 263), not by the
locale, and keeps its line breaks as they are only if nothing translates them on the way in. A
rewrite must give back a file that differs only where it changed the code: the same encoding, the
same mark, the same CRLF, CR or mixed line breaks. So the text keeps the mark as its first
character (`\\ufeff`, written back as the same three bytes) and every line break as it was.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass
from pathlib import Path

BOM = "\ufeff"


class SourceError(ValueError):
    """A file that cannot be read as Python source: the reason, in one line."""


@dataclass(frozen=True)
class SourceText:
    text: str
    """The file's characters, its byte-order mark (if any) first, its line breaks untouched."""
    encoding: str
    """The codec the file is written in (`utf-8` for a file with a mark: the mark is in `text`)."""

    @property
    def code(self) -> str:
        """The text a parser takes: without the byte-order mark."""
        return self.text[1:] if self.text.startswith(BOM) else self.text

    def encode(self, text: str) -> bytes:
        """`text` (with the mark, if the file had one) in the file's own encoding."""
        try:
            return text.encode(self.encoding)
        except UnicodeEncodeError as error:
            held = error.object[error.start]
            raise SourceError(f"the change holds {held!r}, which {self.encoding} cannot hold") from None


def decode_source(data: bytes) -> SourceText:
    """The text of a Python file's bytes, decoded as Python decodes them."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:  # an unknown codec, a mark that contradicts the declaration, bad bytes
        if error.msg == "invalid or missing encoding declaration":  # what tokenize says of bad UTF-8
            reason = "not valid utf-8 in its first two lines, and no coding declaration"
            raise SourceError(f"cannot read: {reason}") from None
        if error.msg.startswith("encoding problem"):
            reason = "its byte-order mark says utf-8, its coding declaration says otherwise"
            raise SourceError(f"cannot read: {reason}") from None
        raise SourceError(f"cannot read: {error.msg}") from None
    codec = "utf-8" if encoding == "utf-8-sig" else encoding  # the mark stays in the text
    try:
        return SourceText(data.decode(codec), codec)
    except UnicodeDecodeError as error:
        raise SourceError(f"cannot read: not valid {encoding} at byte {error.start}") from None


def read_source(path: Path) -> SourceText:
    """The text of the Python file at `path` (SourceError when it cannot be read or decoded)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror or error}") from None
    return decode_source(data)
