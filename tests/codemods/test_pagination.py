"""The pagination codemod: the query keys of a paginated Config list call."""

from __future__ import annotations

from .support import assert_codemod, migrate

LEGACY = 'import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n'
PUBLIC = 'import requests\n\nAPI = "https://api.segmentapis.com"\n'


def test_a_page_token_loop_is_rewritten_where_the_query_is_written():
    assert_codemod(
        LEGACY
        + """
if __name__ == "__main__":
    token = None
    while True:
        query = {"page_size": 50}
        if token:
            query["page_token"] = token
        page = requests.get(f"{API}/workspaces/acme/sources", params=query).json()
        print(len(page["sources"]))
        token = page["next_page_token"]
        if not token:
            break
""",
        PUBLIC
        + """
if __name__ == "__main__":
    token = None
    while True:
        query = {"pagination.count": 50}
        if token:
            query["pagination.cursor"] = token
        page = requests.get(f"{API}/sources", params=query).json()
        print(len(page["data"]["sources"]))
        token = (page["data"]["pagination"].get("next") or "")
        if not token:
            break
""",
    )


def test_a_list_read_without_a_page_size_keeps_the_config_default():
    """The Config API answered 10 items by default; the Public API answers 200."""
    assert_codemod(
        LEGACY + 'print(len(requests.get(f"{API}/workspaces/acme/sources").json()["sources"]))\n',
        PUBLIC
        + 'print(len(requests.get(f"{API}/sources", params={"pagination.count": 10}).json()["data"]["sources"]))\n',
    )


def test_a_catalog_list_keeps_the_catalog_default():
    assert_codemod(
        LEGACY + 'print(len(requests.get(f"{API}/catalog/sources").json()["sources"]))\n',
        PUBLIC + 'print(len(requests.get(f"{API}/catalog/sources", params={"pagination.count": 100}).json()'
        '["data"]["sourcesCatalog"]))\n',
    )


def test_a_list_whose_answer_is_dropped_gets_no_query():
    assert_codemod(
        LEGACY + 'requests.get(f"{API}/workspaces/acme/sources").raise_for_status()\n',
        PUBLIC + 'requests.get(f"{API}/sources").raise_for_status()\n',
    )


def test_an_unknown_query_key_stops_the_rewrite():
    after = migrate(LEGACY + 'requests.get(f"{API}/workspaces/acme/sources", params={"filter": "x"})\n')
    assert "the query parameter `filter` has no Public counterpart" in after


def test_a_query_passed_on_elsewhere_stops_the_rewrite():
    after = migrate(
        LEGACY + 'query = {"page_size": 5}\nlog(query)\nrequests.get(f"{API}/workspaces/acme/sources", params=query)\n'
    )
    assert "the query `query` is used other than by setting a key" in after
