"""Hard-coded Segment API tokens. Values are never reported: only a redacted form."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The Public token shape is mappings/protocol.toml's `token_pattern` (checked by a test); spelled here
# too so that redacting a finding never needs the map loaded.
PUBLIC_TOKEN = re.compile(r"sgp_[A-Za-z0-9]{64}")
# Segment's Config token examples: two 43-character base64url parts joined by a dot.
CONFIG_TOKEN = re.compile(r"(?<![A-Za-z0-9_.-])[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")
BEARER = re.compile(r"Bearer\s+([A-Za-z0-9_.~+/-]{20,}=*)")
PLACEHOLDER = re.compile(r"^(x+|X+|\*+|<.*>|\$.*|\{.*\}|your.*|token.*|example.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Secret:
    start: int
    end: int
    message: str
    confidence: str


def redact_value(value: str) -> str:
    return f"{value[:4]}…[{len(value)} characters]"


def find_secrets(text: str, segment_context: bool) -> list[Secret]:
    found: list[Secret] = []
    for match in PUBLIC_TOKEN.finditer(text):
        found.append(Secret(match.start(), match.end(), f"a Public API token ({redact_value(match.group(0))})", "high"))
    if segment_context:
        for match in CONFIG_TOKEN.finditer(text):
            found.append(
                Secret(match.start(), match.end(), f"a Config API token ({redact_value(match.group(0))})", "medium")
            )
        for match in BEARER.finditer(text):
            value = match.group(1)
            if PLACEHOLDER.match(value) or any(s.start <= match.start(1) < s.end for s in found):
                continue
            found.append(
                Secret(match.start(1), match.end(1), f"a bearer token literal ({redact_value(value)})", "medium")
            )
    return found


def redact(text: str) -> str:
    """`text` with every token-shaped value replaced by its redacted form."""
    text = PUBLIC_TOKEN.sub(lambda match: redact_value(match.group(0)), text)
    text = CONFIG_TOKEN.sub(lambda match: redact_value(match.group(0)), text)
    return BEARER.sub(lambda match: "Bearer " + redact_value(match.group(1)), text)
