"""Response consumers: reads of a Config answer become reads of the Public answer.

`resp.json()["sources"]` becomes `resp.json()["data"]["sources"]`, `source["display_name"]` becomes
`source["name"]`, `source["name"].split("/")[-1]` becomes `source["slug"]`, `body.get("next_page_token")`
becomes `body["data"]["pagination"].get("next")`. Which reads are followed, and when a call is left
alone instead, is `flow`'s business; this fixer only applies what the plan recorded."""

from __future__ import annotations

from .base import Fixer
from .flow import FIXER


class AnswersFixer(Fixer):
    name = FIXER
    description = "reads of the answer: the data envelope, renamed keys, name.split('/')[-1]"
