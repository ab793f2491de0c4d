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


URL_PASSWORD = re.compile(r"(://[^/\s:@'\"`]+:)([^/\s@'\"`]+)(@)")
"""`https://user:password@host`: the password."""
QUERY_SECRET = re.compile(
    r"([?&](?:access_token|token|api_key|apikey|key|password|secret|client_secret)=)([^&\s'\"`#]+)", re.IGNORECASE
)
"""`?access_token=...`: the value."""
AUTH_PAIR = re.compile(r"""(\bauth\s*=\s*\(\s*(['"])[^'"]*\2\s*,\s*)(['"])([^'"]+)\3""")
"""`auth=("user", "password")`, `auth=(token, "")` spelled out: the second value."""


def _kept(prefix: str, value: str, suffix: str = "") -> str:
    """The value redacted, unless it is a placeholder or redacted already (redacting is idempotent)."""
    # Nothing of a password is shown (a token's first characters say what kind of token it is).
    return prefix + (value if PLACEHOLDER.match(value) or "…" in value else f"…[{len(value)} characters]") + suffix


def redact(text: str) -> str:
    """`text` with every token-shaped value replaced by its redacted form, and the secrets a URL or
    an auth pair spells (a password in a URL, an `access_token=` parameter, a basic-auth password)."""
    # Each pattern only where its fixed part is (a patch of many megabytes goes through here).
    if "sgp_" in text:
        text = PUBLIC_TOKEN.sub(lambda match: redact_value(match.group(0)), text)
    if "." in text and len(text) >= 87:
        text = CONFIG_TOKEN.sub(lambda match: redact_value(match.group(0)), text)
    if "Bearer" in text:
        text = BEARER.sub(lambda match: "Bearer " + redact_value(match.group(1)), text)
    if "@" in text and "://" in text:
        text = URL_PASSWORD.sub(lambda m: _kept(m.group(1), m.group(2), m.group(3)), text)
    if "=" in text:
        if "?" in text or "&" in text:
            text = QUERY_SECRET.sub(lambda m: _kept(m.group(1), m.group(2)), text)
        if "auth" in text:
            text = AUTH_PAIR.sub(lambda m: _kept(m.group(1) + m.group(3), m.group(4), m.group(3)), text)
    return text
