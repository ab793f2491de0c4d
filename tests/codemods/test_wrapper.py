"""The segment_config_api wrapper: fluent calls to the generated client, or nothing and a TODO."""

from __future__ import annotations

from .support import assert_codemod, migrate

LEGACY = "from segment_config_api.api import SegmentConfigApi\n\napi = SegmentConfigApi(TOKEN)\n"
PUBLIC = "import segment_public\n\napi = segment_public.Client(TOKEN)\n"


def test_a_get_becomes_a_request_of_the_public_path_and_its_reads_follow():
    assert_codemod(
        LEGACY + 'print(api.workspace("acme").source("web").get()["display_name"])\n',
        PUBLIC + 'print(api.request("GET", "sources/S_WEB")["data"]["source"]["name"])\n',
    )


def test_a_variable_slug_goes_through_the_lookup_module():
    assert_codemod(
        LEGACY + 'def off(slug):\n    api.workspace("acme").source(slug).destination("amplitude").update(\n'
        '        {"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}}\n    )\n',
        PUBLIC.replace("import segment_public\n", "import segment_public\nimport segment_ids\n")
        + "def off(slug):\n"
        + '    api.request("PATCH", f"destinations/{segment_ids.destination_id(slug, \'amplitude\')}", '
        + '{"enabled": False})\n',
    )


def test_list_arguments_become_the_pagination_query():
    assert_codemod(
        LEGACY + 'print(len(api.workspace("acme").sources.list(page_size=5)["sources"]))\n',
        PUBLIC + 'print(len(api.request("GET", "sources", params={"pagination.count": 5})["data"]["sources"]))\n',
    )


def test_a_chain_through_a_variable_leaves_the_object_alone():
    source = LEGACY + 'ws = api.workspace("acme")\nprint(ws.source("web").get()["display_name"])\n'
    after = migrate(source)
    assert "SegmentConfigApi(TOKEN)" in after and "segment_public" not in after


def test_a_broken_wrapper_call_is_not_rewritten_and_stops_the_object():
    after = migrate(
        LEGACY + 'api.workspace("acme").source("web").get()\napi.workspace("acme").source("web").delete("x")\n'
    )
    assert "segment_config_api's workspace().source().delete() is broken" in after
    assert "the segment_config_api object moves with all its calls" in after
    assert "segment_public" not in after


def test_a_raw_send_request_is_not_a_fluent_call():
    after = migrate(LEGACY + 'api.send_request("GET", "workspaces/acme/sources")\n')
    assert "`send_request()` is not a segment_config_api call the codemod knows" in after
    assert "SegmentConfigApi(TOKEN)" in after
