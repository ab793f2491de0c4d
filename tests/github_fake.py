"""A small local GitHub: the few REST endpoints `migrate pr` uses, with GitHub's request and answer
shapes and statuses (401 on a bad token, 403 on a token that may only read, 404 on an unknown
repository, 422 on a second open pull request for the same head).
It records every request so tests can check what was sent."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

DOCS = "https://docs.github.com/rest"


@dataclass
class FakeGitHub:
    token: str
    repos: set[str]
    labels: dict[str, list[str]] = field(default_factory=dict)
    pulls: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    comments: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    html: str = "https://github.com"
    read_only_tokens: set[str] = field(default_factory=set)
    failing: set[tuple[str, str]] = field(default_factory=set)
    """(method, last part of the path) answered 502, as GitHub does when it is having a bad day."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        raw = await request.body()
        body = json.loads(raw) if raw else None
        self.requests.append(
            {
                "method": request.method,
                "path": request.url.path,
                "query": str(request.url.query),
                "headers": dict(request.headers),
                "body": body,
            }
        )
        response = self.answer(request, body)
        await response(scope, receive, send)

    def answer(self, request: Request, body: Any) -> JSONResponse:
        authorization = request.headers.get("authorization", "")
        read_only = authorization in {f"Bearer {token}" for token in self.read_only_tokens}
        if authorization != f"Bearer {self.token}" and not read_only:
            return JSONResponse({"message": "Bad credentials", "documentation_url": DOCS}, 401)
        if read_only and request.method != "GET":
            return JSONResponse(
                {"message": "Resource not accessible by personal access token", "documentation_url": DOCS}, 403
            )
        parts = request.url.path.strip("/").split("/")
        if (request.method, parts[-1]) in self.failing:
            return JSONResponse({"message": "Server Error"}, 502)
        if len(parts) < 3 or parts[0] != "repos" or f"{parts[1]}/{parts[2]}" not in self.repos:
            return JSONResponse({"message": "Not Found", "documentation_url": DOCS}, 404)
        repo = f"{parts[1]}/{parts[2]}"
        rest = parts[3:]
        pulls = self.pulls.setdefault(repo, [])
        method = request.method
        if rest == ["pulls"] and method == "GET":
            head = request.query_params.get("head", "")
            state = request.query_params.get("state", "open")
            found = [p for p in pulls if f"{repo.split('/')[0]}:{p['head']['ref']}" == head and p["state"] == state]
            return JSONResponse(found)
        if rest == ["pulls"] and method == "POST":
            missing = [key for key in ("title", "head", "base") if not body or key not in body]
            if missing:
                return JSONResponse(
                    {
                        "message": "Validation Failed",
                        "errors": [{"resource": "PullRequest", "code": "missing_field", "field": missing[0]}],
                    },
                    422,
                )
            if any(p["head"]["ref"] == body["head"] and p["state"] == "open" for p in pulls):
                return JSONResponse(
                    {
                        "message": "Validation Failed",
                        "errors": [
                            {
                                "resource": "PullRequest",
                                "code": "custom",
                                "message": f"A pull request already exists for {repo.split('/')[0]}:{body['head']}.",
                            }
                        ],
                        "documentation_url": DOCS,
                    },
                    422,
                )
            number = len(pulls) + 1
            pull = {
                "number": number,
                "state": "open",
                "title": body["title"],
                "body": body.get("body", ""),
                "draft": bool(body.get("draft", False)),
                "head": {"ref": body["head"]},
                "base": {"ref": body["base"]},
                "html_url": f"{self.html}/{repo}/pull/{number}",
                "labels": [],
            }
            pulls.append(pull)
            return JSONResponse(pull, 201)
        if len(rest) == 2 and rest[0] == "pulls" and method == "PATCH":
            pull = next((p for p in pulls if str(p["number"]) == rest[1]), None)
            if pull is None:
                return JSONResponse({"message": "Not Found", "documentation_url": DOCS}, 404)
            for key in ("title", "body", "state"):
                if body and key in body:
                    pull[key] = body[key]
            if body and "base" in body:
                pull["base"] = {"ref": body["base"]}
            return JSONResponse(pull)
        if rest == ["labels"] and method == "GET":
            return JSONResponse([{"name": name, "color": "ededed"} for name in self.labels.get(repo, [])])
        if len(rest) == 3 and rest[0] == "issues" and rest[2] == "labels" and method == "POST":
            pull = next((p for p in pulls if str(p["number"]) == rest[1]), None)
            if pull is None:
                return JSONResponse({"message": "Not Found"}, 404)
            pull["labels"] = sorted({*pull["labels"], *body["labels"]})
            return JSONResponse([{"name": name} for name in pull["labels"]])
        if len(rest) == 3 and rest[0] == "issues" and rest[2] == "comments" and method == "POST":
            comment = {"id": len(self.comments) + 1, "issue": int(rest[1]), "body": body["body"]}
            self.comments.append(comment)
            return JSONResponse(comment, 201)
        return JSONResponse({"message": "Not Found", "documentation_url": DOCS}, 404)
