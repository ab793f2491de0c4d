"""One exception hierarchy for the toolkit.

The CLI turns any `MigratorError` into a one-line message on stderr and exit code 2; anything else is
a bug and keeps its traceback.
"""

from __future__ import annotations

from typing import Any


class MigratorError(Exception):
    """Base class of every error the toolkit reports to a user."""

    exit_code = 2


class OutputError(MigratorError):
    """A file the toolkit was asked to write cannot be written (a missing or read-only folder, a full disk)."""


class MapError(MigratorError):
    """The declarative API map (mappings/) is broken or inconsistent."""

    def __init__(self, file: str, entry: str | None, message: str) -> None:
        self.file = file
        self.entry = entry
        self.message = message
        where = f"{file}: {entry}" if entry else file
        super().__init__(f"{where}: {message}")


class UsageError(MigratorError):
    """The user asked for something that cannot be done as asked."""


class IdMapError(MigratorError):
    """An ID map file is missing, malformed or inconsistent."""


class ApiRequestError(MigratorError):
    """A call to the Config or Public API failed. Messages never carry tokens."""

    def __init__(self, api: str, method: str, path: str, status: int | None, message: str) -> None:
        self.api = api
        self.method = method
        self.path = path
        self.status = status
        self.detail = message
        where = f"{api} API {method} {path}"
        super().__init__(f"{where}: {status} {message}" if status is not None else f"{where}: {message}")


class AuthenticationError(ApiRequestError):
    """401/403: the token is missing, wrong, expired, or lacks a scope."""


class NotFoundError(ApiRequestError):
    """404."""


class RateLimitedError(ApiRequestError):
    """429, still after every retry."""


class ServerError(ApiRequestError):
    """5xx, still after every retry."""


class ConnectionFailed(ApiRequestError):
    """The host could not be reached, or the connection broke."""


class MalformedResponse(ApiRequestError):
    """The answer was not the JSON shape the API documents."""


def error_message(body: Any, fallback: str) -> str:
    """The error text of either API's error envelope (`fallback` when `body` is neither)."""
    if isinstance(body, dict):
        if "error" in body:
            return f"{body['error']} (code {body.get('code')})"
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            first = errors[0]
            field_name = f" [{first['field']}]" if first.get("field") else ""
            return f"{first.get('type', 'error')}: {first.get('message', '')}{field_name}"
    return fallback


def not_found(kind: str, name: str) -> str:
    """The Config API's message for an object it does not have (404, code 5), named by the last part
    of its name (`source 'web' not found`). The translator and the emulator's Config side say it alike."""
    return f"{kind.replace('_', ' ')} {name.rsplit('/', 1)[-1]!r} not found"


def already_exists(kind: str, name: str) -> str:
    """The Config API's message for a create whose object exists (409, code 6): code that matched it
    (`destination already exists`, as Segment's partner app did) matches it still. The translator
    and the emulator's Config side say it alike."""
    return f"{kind.replace('_', ' ')} already exists: {name}"


def ambiguous_name(kind: str, config_name: str, candidates: list[str]) -> str:
    """Why a Config name cannot be answered: it names several Public objects (never a guess). The
    translator and the emulator's Config side say it alike."""
    return (
        f"{config_name} names {len(candidates)} Public {kind}s ({', '.join(candidates)}): "
        "choose one by id; the Config name cannot tell them apart"
    )
