"""Response consumers: reads of a Config answer become reads of the Public answer.

`resp.json()["sources"]` becomes `resp.json()["data"]["sources"]`, `source["display_name"]` becomes
`source["name"]`, `source["name"].split("/")[-1]` becomes `source["slug"]`, `body.get("next_page_token")`
becomes `body["data"]["pagination"].get("next")`. Which reads are followed, and when a call is left
alone instead, is `flow`'s business; this fixer only applies what the plan recorded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mappings import Endpoint, PublicStep

from ..base import Case, Edit, FileContext, Fixer, Stage
from ..flow import FIXER, reads

if TYPE_CHECKING:
    from ..site import CallSite


class AnswersFixer(Fixer):
    name = FIXER
    description = "reads of the answer: the data envelope, renamed keys, name.split('/')[-1]"
    stage = Stage.ANSWER

    cases = (
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"

            if __name__ == "__main__":
                for source in requests.get(f"{API}/workspaces/acme/sources").json()["sources"]:
                    print(source["display_name"], source["name"].split("/")[-1])
            """,
            """\
            import requests

            API = "https://api.segmentapis.com"

            if __name__ == "__main__":
                for source in requests.get(f"{API}/sources", params={"pagination.count": 10}).json()["data"]["sources"]:
                    print(source["name"], source["slug"])
            """,
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"


            def sources():
                return requests.get(f"{API}/workspaces/acme/sources").json()["sources"]
            """,
            why="the answer goes to callers in other modules",
            todo="`sources` returns the answer to callers in other modules; the Public call is GET /sources",
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"


            def label(source):
                return source["display_name"]


            if __name__ == "__main__":
                for source in requests.get(f"{API}/workspaces/acme/sources").json()["sources"]:
                    print(label(source))
            """,
            """\
            import requests

            API = "https://api.segmentapis.com"


            def label(source):
                return source["name"]


            if __name__ == "__main__":
                for source in requests.get(f"{API}/sources", params={"pagination.count": 10}).json()["data"]["sources"]:
                    print(label(source))
            """,
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"


            def label(source):
                return source["display_name"]


            if __name__ == "__main__":
                print(label({"display_name": "by hand"}))
                for source in requests.get(f"{API}/workspaces/acme/sources").json()["sources"]:
                    print(label(source))
            """,
            why="the function the answer is passed to is also passed something else",
            todo="`label` is also called with something other than this answer; the Public call is GET /sources",
        ),
    )

    @classmethod
    def decide(cls, site: CallSite) -> list[Edit]:
        """Every read of the answer, followed and rewritten; one the codemod cannot follow stops the
        rewrite. Followed once per call (the pagination fixer asks too: the page size it writes out
        depends on whether the list is read)."""
        if site.answer_edits is not None:
            return site.answer_edits
        context, endpoint, step = site.context, site.endpoint, site.step
        read_back = endpoint.translation != "direct" and not _answers_the_resource(context, endpoint, step)
        edits, site.planned.named = reads(
            context.api,
            site.bindings,
            site.planned.call,
            endpoint,
            answer_read=not read_back,
            start=site.route.answer,
            name_paths=context.name_paths,
            left_out=_left_out(endpoint, step),
        )
        context.named.update(site.planned.named)
        site.answer_edits = edits
        return edits


def _left_out(endpoint: Endpoint, step: PublicStep) -> frozenset[str]:
    """The answer's fields only the other reads of a read sequence give (none for a write)."""
    if endpoint.method != "GET":
        return frozenset()
    return frozenset(name for other in endpoint.public if other != step for name in other.supplies)


def _answers_the_resource(context: FileContext, endpoint: Endpoint, step: PublicStep) -> bool:
    """Whether the Public call answers the resource itself (a sequence's other steps may only read
    it back for the Config answer)."""
    operation = context.api.public_operation(step.method, step.path)
    resource = context.api.resource(endpoint.resource) if endpoint.resource else None
    return bool(operation and resource and resource.data_key and resource.data_key in operation.data)
