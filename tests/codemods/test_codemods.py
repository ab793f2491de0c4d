"""Codemods, before and after (in the style of libcst's CodemodTest), and the no-op cases named for
the reason nothing changes. Every `after` is also run again: a second run must change nothing."""

from __future__ import annotations

import pytest

from codemods.engine import ApplyOptions, migrate_source

from .support import HEADER, IDS, assert_codemod, assert_todo_added, migrate

# --- paths, ids, the workspace segment, the host ------------------------------------------------


def test_fstring_path_with_a_variable_slug_uses_the_generated_lookup():
    assert_codemod(
        HEADER + 'def drop(ws, src):\n    requests.delete(f"{API}/workspaces/{ws}/sources/{src}", headers=H)\n',
        'import requests\nimport segment_ids\n\nAPI = "https://api.segmentapis.com"\nH = {"Authorization": "Bearer x"}\n'
        'def drop(ws, src):\n    requests.delete(f"{API}/sources/{segment_ids.source_id(src)}", headers=H)\n',
    )


def test_literal_url_and_slug_become_the_public_url_and_id():
    assert_codemod(
        'import requests\nrequests.delete("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web")\n',
        'import requests\nrequests.delete("https://api.segmentapis.com/sources/S_WEB")\n',
    )


def test_concatenation_becomes_an_fstring_and_keeps_raise_for_status():
    assert_codemod(
        HEADER
        + 'def drop(ws, plan):\n    requests.delete(API + "/workspaces/" + ws + "/tracking-plans/" + plan).raise_for_status()\n',
        'import requests\nimport segment_ids\n\nAPI = "https://api.segmentapis.com"\nH = {"Authorization": "Bearer x"}\n'
        'def drop(ws, plan):\n    requests.delete(f"{API}/tracking-plans/{segment_ids.tracking_plan_id(plan)}").raise_for_status()\n',
    )


SPLIT = (
    'import requests\n\nHOST = "https://platform.segmentapis.com"\nVERSION = "v1beta"\n'
    'H = {"Authorization": "Bearer x"}\n'
)
SPLIT_PUBLIC = (
    'import requests\nimport segment_ids\n\nHOST = "https://api.segmentapis.com"\nVERSION = "v1beta"\n'
    'H = {"Authorization": "Bearer x"}\n'
)


def test_format_with_the_host_and_version_held_apart():
    """The version constant drops out of the URL; the host constant moves."""
    assert_codemod(
        SPLIT + 'def drop(src):\n    requests.delete("{}/{}/workspaces/acme/sources/{}".format(HOST, VERSION, src))\n',
        SPLIT_PUBLIC + 'def drop(src):\n    requests.delete(f"{HOST}/sources/{segment_ids.source_id(src)}")\n',
    )


def test_format_with_numbered_and_named_fields():
    assert_codemod(
        SPLIT
        + 'def drop(src):\n    requests.delete("{0}/{v}/workspaces/acme/sources/{1}".format(HOST, src, v=VERSION))\n',
        SPLIT_PUBLIC + 'def drop(src):\n    requests.delete(f"{HOST}/sources/{segment_ids.source_id(src)}")\n',
    )


def test_a_host_constant_with_the_version_written_in_each_path():
    assert_codemod(
        SPLIT + 'def drop(src):\n    requests.delete(f"{HOST}/v1beta/workspaces/acme/sources/{src}")\n',
        SPLIT_PUBLIC + 'def drop(src):\n    requests.delete(f"{HOST}/sources/{segment_ids.source_id(src)}")\n',
    )


def test_format_with_a_format_spec_is_not_reassembled():
    after = migrate(
        SPLIT + 'def drop(n):\n    requests.delete("{}/{}/workspaces/acme/sources/{:>5}".format(HOST, VERSION, n))\n'
    )
    assert "does not re-assemble" in after and 'HOST = "https://platform.segmentapis.com"' in after


def test_eu_region():
    assert_codemod(
        'import requests\nrequests.delete("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web")\n',
        'import requests\nrequests.delete("https://eu1.api.segmentapis.com/sources/S_WEB")\n',
        region="eu",
    )


def test_comments_and_formatting_outside_the_rewrite_stay_byte_identical():
    before = (
        "import requests  # http\n\n\n"
        "# the base\n"
        'API   =   "https://platform.segmentapis.com/v1beta"   # spaced\n\n\n'
        "def drop(ws, src) :   # odd spacing kept\n"
        "    # removes everything\n"
        '    requests.delete( f"{API}/workspaces/{ws}/destinations" if False else f"{API}/workspaces/{ws}/sources/{src}" )\n'
    )
    after = migrate(before)
    kept = [line for line in before.splitlines() if "segmentapis" not in line and "requests.delete" not in line]
    assert all(line in after.splitlines() for line in kept)


# --- TODOs: what cannot be proven safe keeps working ---------------------------------------------


def test_an_answer_passed_elsewhere_gets_a_todo_and_the_base_stays():
    after = migrate(
        HEADER + 'def names(ws):\n    body = requests.get(f"{API}/workspaces/{ws}/sources").json()\n    print(body)\n'
    )
    assert "# TODO(migrate): the answer is passed to `print`; the Public call is GET /sources" in after
    assert 'API = "https://platform.segmentapis.com/v1beta"' in after
    assert 'f"{API}/workspaces/{ws}/sources"' in after


def test_a_base_is_kept_when_one_of_its_calls_cannot_be_rewritten():
    after = migrate(
        HEADER + 'def a(ws, src):\n    requests.delete(f"{API}/workspaces/{ws}/sources/{src}")\n'
        'def b(ws):\n    return requests.get(f"{API}/workspaces/{ws}/sources").json()\n'
    )
    assert 'API = "https://platform.segmentapis.com/v1beta"' in after
    assert 'f"{API}/sources/{segment_ids.source_id(src)}"' not in after


def _old_test_a_body_that_must_change_gets_a_todo():
    after = migrate(
        HEADER
        + 'def off(ws, s, d):\n    requests.patch(f"{API}/workspaces/{ws}/sources/{s}/destinations/{d}", json={"destination": {}})\n'
    )
    assert "# TODO(migrate): the request body must change for PATCH /destinations/{destinationId}" in after


def test_an_ambiguous_destination_lists_its_candidates():
    after = migrate(
        'import requests\nrequests.delete("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/mixpanel")\n'
    )
    assert "matches several Public destinations (D1, D2): choose one by id" in after


def test_no_id_map_means_a_todo_for_literal_slugs():
    after = migrate(
        'import requests\nrequests.delete("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web")\n',
        ids=None,
    )
    assert "pass --ids ids.json" in after


def test_no_twin_gets_the_manual_step():
    after = migrate(HEADER + 'requests.post(f"{API}/access-tokens", auth=("a", "b"), json={})\n')
    assert "has no Public API twin" in after and "Access Management > Tokens" in after


def test_a_chokepoint_helper_gets_one_todo():
    after = migrate(HEADER + "def call(method, path):\n    return requests.request(method, API + path).json()\n")
    assert "every Config call goes through `call`, and callers this codemod cannot see" in after


def test_todos_are_not_repeated_and_keep_indentation():
    after = migrate(
        HEADER + 'def names(ws):\n    if ws:\n        return requests.get(f"{API}/workspaces/{ws}/sources").json()\n'
    )
    assert after.count("TODO(migrate)") == 1
    assert "        # TODO(migrate):" in after


# --- no-op cases, named for the reason ------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            'import requests\nrequests.get("https://api.segmentapis.com/sources")\n', id="already-on-the-public-api"
        ),
        pytest.param(
            'import requests\nrequests.post("https://platform.segmentapis.com/webhook/abc", json={})\n',
            id="segment-webhook-not-config-api",
        ),
        pytest.param(
            'import requests\nrequests.get("https://generativelanguage.googleapis.com/v1beta/models")\n',
            id="another-vendors-v1beta",
        ),
        pytest.param("print('hello')\n", id="nothing-about-segment"),
        pytest.param(
            '# requests.get("https://platform.segmentapis.com/v1beta/workspaces/a/sources")\nx = 1\n',
            id="commented-out-code-is-not-touched",
        ),
    ],
)
def test_nothing_changes(source):
    assert migrate(source) == source


def test_only_selects_codemods():
    source = HEADER + 'def names(ws):\n    return requests.get(f"{API}/workspaces/{ws}/sources").json()\n'
    assert migrate(source, only=frozenset({"paths", "host"})) == source
    assert "TODO(migrate)" in migrate(source, only=frozenset({"todos"}))


def test_a_file_that_does_not_parse_is_reported_and_left_alone():
    outcome = migrate_source(
        "old.py", 'print "x"\nurl = "https://platform.segmentapis.com/v1beta/workspaces/a/sources"\n', ApplyOptions(IDS)
    )
    assert not outcome.changed
    assert outcome.error == 'Python 2 syntax at line 1: `print "x"`; port it to Python 3 first (2to3), then migrate it'


def test_an_invalid_rewrite_is_never_kept(monkeypatch):
    import codemods.engine as engine

    class Breaker:
        name = "breaker"

        def __init__(self, context):
            pass

        def leave(self, original, updated):
            import libcst as cst

            if isinstance(updated, cst.SimpleString) and "segmentapis" in updated.value:
                return cst.Name("requests", lpar=[cst.LeftParen()], rpar=[])  # unbalanced: does not parse
            return updated

    monkeypatch.setattr(engine, "REGISTRY", (Breaker,))
    source = 'import requests\nrequests.delete("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web")\n'
    outcome = migrate_source("x.py", source, ApplyOptions(IDS))
    assert outcome.error is not None and not outcome.changed and outcome.new_source == source


# --- the workspace variable the Public path no longer needs ----------------------------------------

WORKSPACE_SCRIPT = (
    'import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\nWS = "acme"\n\n\n'
    'if __name__ == "__main__":\n    requests.delete(f"{API}/workspaces/{WS}/sources/web")\n'
)


def test_a_workspace_variable_left_unused_goes():
    assert_codemod(
        WORKSPACE_SCRIPT,
        'import requests\n\nAPI = "https://api.segmentapis.com"\n\n\n'
        'if __name__ == "__main__":\n    requests.delete(f"{API}/sources/S_WEB")\n',
    )


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(("    requests.delete", "    print(WS)\n    requests.delete"), id="still-read-elsewhere"),
        pytest.param(('WS = "acme"', 'WS = "acme"  # the production workspace'), id="it-carries-a-comment"),
        pytest.param(('if __name__ == "__main__":\n    ', "def main():\n    "), id="a-library-module-may-export-it"),
        pytest.param(('WS = "acme"', 'WS = os.environ["WS"]'), id="reading-it-can-fail"),
    ],
)
def test_a_workspace_variable_stays(change):
    source = WORKSPACE_SCRIPT.replace(*change)
    after = migrate(source)
    assert "WS = " in after


def test_only_never_leaves_half_a_rewrite():
    """Reading the Public answer of a call still sent to the Config API would break the code."""
    source = HEADER + 'print(requests.get(f"{API}/workspaces/acme/sources/web").json()["display_name"])\n'
    assert migrate(source, only=frozenset({"answers"})) == source
    assert migrate(source, only=frozenset({"paths", "host"})) == source
    whole = migrate(source, only=frozenset({"paths", "host", "answers"}))
    assert '["data"]["source"]["name"]' in whole and "api.segmentapis.com" in whole
    assert "left out by --only" in migrate(source, only=frozenset({"paths", "todos"}))


# --- calls in a compound statement's header, and bases read elsewhere ------------------------------


def test_a_call_in_a_for_header_is_rewritten_with_its_loop():
    assert_codemod(
        HEADER + 'for source in requests.get(f"{API}/workspaces/acme/sources", headers=H).json()["sources"]:\n'
        '    print(source["display_name"])\n',
        'import requests\n\nAPI = "https://api.segmentapis.com"\nH = {"Authorization": "Bearer x"}\n'
        'for source in requests.get(f"{API}/sources", headers=H, params={"pagination.count": 10}).json()["data"]["sources"]:\n'
        '    print(source["name"])\n',
    )


def test_a_call_in_an_if_header_that_cannot_move_gets_its_todo_above_the_if():
    before = (
        HEADER
        + 'def check(src):\n    if requests.get(f"{API}/workspaces/acme/sources/{src}").status_code == 404:\n        return None\n'
    )
    after = migrate(before)
    lines = after.splitlines()
    todo = next(index for index, line in enumerate(lines) if "TODO(migrate)" in line)
    assert lines[todo].startswith("    # TODO(migrate): the response's `status_code` differs")
    assert lines[todo + 1].startswith("    if requests.get(")
    assert after.replace(lines[todo] + "\n", "") == before  # the call keeps working as it was


def test_a_base_also_read_outside_the_calls_stays_and_the_call_moves_on_its_public_twin():
    """`GA` is built from `API`: moving `API` would send GA's calls to a Public host with a Config
    path, so `API` stays for it, and the call that moves reads a Public twin defined beside it."""
    source = (
        HEADER
        + 'GA = f"{API}/workspaces/acme/sources/web/destinations/amplitude"\n'
        + "print(GA)\n"
        + 'requests.delete(f"{API}/workspaces/acme/sources/web", headers=H)\n'
    )
    migrated = migrate(source)
    assert 'API = "https://platform.segmentapis.com/v1beta"\nAPI_PUBLIC = "https://api.segmentapis.com"\n' in migrated
    assert 'GA = f"{API}/workspaces/acme/sources/web/destinations/amplitude"' in migrated
    assert 'requests.delete(f"{API_PUBLIC}/sources/S_WEB", headers=H)' in migrated
    assert "TODO(migrate)" not in migrated


def test_calls_sharing_a_base_move_one_by_one():
    """One call that cannot move no longer holds back the others on the same base."""
    source = (
        HEADER
        + 'requests.post(f"{API}/access-tokens", auth=("u", "p"), json={})\n'
        + 'requests.delete(f"{API}/workspaces/acme/sources/web", headers=H)\n'
    )
    migrated = migrate(source)
    assert 'requests.post(f"{API}/access-tokens"' in migrated and "has no Public API twin" in migrated
    assert 'requests.delete(f"{API_PUBLIC}/sources/S_WEB", headers=H)' in migrated
    assert migrated.count("API_PUBLIC = ") == 1


SCRIPT = 'if __name__ == "__main__":\n'


def test_a_url_constant_with_a_path_is_re_assembled_into_its_calls_and_goes():
    assert_codemod(
        HEADER
        + 'WEB = f"{API}/workspaces/acme/sources/web"\n'
        + SCRIPT
        + '    requests.delete(f"{WEB}/destinations/amplitude", headers=H).raise_for_status()\n'
        + "    requests.delete(WEB, headers=H).raise_for_status()\n",
        'import requests\n\nAPI = "https://api.segmentapis.com"\nH = {"Authorization": "Bearer x"}\n'
        + SCRIPT
        + '    requests.delete(f"{API}/destinations/D_AMP", headers=H).raise_for_status()\n'
        + '    requests.delete(f"{API}/sources/S_WEB", headers=H).raise_for_status()\n',
    )


def test_no_op_a_url_constant_read_elsewhere_keeps_its_calls_and_its_base():
    source = (
        HEADER
        + 'WEB = f"{API}/workspaces/acme/sources/web"\n'
        + SCRIPT
        + '    print("deleting", WEB)\n'
        + "    requests.delete(WEB, headers=H).raise_for_status()\n"
    )
    todo = (
        "    # TODO(migrate): `WEB`, re-assembled into this URL, is also read where it cannot move (or by a call that keeps a "
        "TODO); rewrite them together\n"
    )
    assert_todo_added(source, "    requests.delete(", todo)


def test_a_piece_of_the_path_bound_to_a_variable_first_is_re_assembled_into_the_url():
    """`resource = "workspaces/" + ws + "/sources/web"` then `API + "/" + resource`: the variable,
    read by this call alone, goes, and the URL is built where it is sent."""
    assert_codemod(
        HEADER
        + "def show(ws):\n"
        + '    resource = "workspaces/" + ws + "/sources/web"\n'
        + '    print(requests.get(API + "/" + resource, headers=H).json()["display_name"])\n',
        HEADER.replace("https://platform.segmentapis.com/v1beta", "https://api.segmentapis.com")
        + "def show(ws):\n"
        + '    print(requests.get(f"{API}/sources/S_WEB", headers=H).json()["data"]["source"]["name"])\n',
    )


def test_no_op_a_piece_of_the_path_read_elsewhere_too():
    source = (
        HEADER
        + "def show(ws):\n"
        + '    resource = "workspaces/" + ws + "/sources/web"\n'
        + "    print(resource)\n"
        + '    print(requests.get(API + "/" + resource, headers=H).json()["display_name"])\n'
    )
    todo = (
        "    # TODO(migrate): `resource`, re-assembled into this URL, is also read where it cannot move (or by a call "
        "that keeps a TODO); rewrite them together\n"
    )
    assert_todo_added(source, "    print(requests.get(", todo)


def test_no_op_a_url_constant_in_a_module_others_may_import():
    """Not a script: another module may import `WEB`, so it stays, and so do its calls."""
    source = (
        HEADER
        + 'WEB = f"{API}/workspaces/acme/sources/web"\n'
        + 'def drop():\n    requests.delete(f"{WEB}/destinations/amplitude", headers=H)\n'
    )
    migrated = migrate(source)
    assert "TODO(migrate): `WEB`, re-assembled into this URL," in migrated
    assert 'API = "https://platform.segmentapis.com/v1beta"' in migrated


# --- resource names reused as paths (call-patterns 6) ----------------------------------------------

NAMES = (
    'if __name__ == "__main__":\n    for source in requests.get(f"{API}/workspaces/acme/sources").json()["sources"]:\n'
)


def test_a_name_from_one_answer_used_as_the_next_path_becomes_the_public_id():
    assert_codemod(
        HEADER
        + NAMES
        + '        print(len(requests.get(f"{API}/{source[\'name\']}/destinations").json()["destinations"]))\n',
        'import requests\n\nAPI = "https://api.segmentapis.com"\nH = {"Authorization": "Bearer x"}\n'
        'if __name__ == "__main__":\n'
        '    for source in requests.get(f"{API}/sources", params={"pagination.count": 10}).json()["data"]["sources"]:\n'
        "        print(len(requests.get(f\"{API}/sources/{source['id']}/connected-destinations\", "
        'params={"pagination.count": 10}).json()["data"]["destinations"]))\n',
    )


def test_no_op_a_name_whose_origin_the_codemod_cannot_see():
    """`name` is a parameter: it may be any source's Config name, and no id is at hand."""
    source = HEADER + 'def destinations(name):\n    return requests.get(f"{API}/{name}/destinations").json()\n'
    todo = (
        "    # TODO(migrate): the path reuses a source's Config name, and the codemod cannot follow where that "
        "name comes from to read the Public id instead; the Public call is GET "
        "/sources/{sourceId}/connected-destinations\n"
    )
    assert_todo_added(source, "    return", todo)


def test_no_op_both_calls_stay_when_the_second_cannot_move():
    """The list would answer Public objects (no Config `name`) only if the call reusing the name
    moved too; it cannot (its answer is printed whole), so neither moves."""
    source = HEADER + NAMES + "        print(requests.get(f\"{API}/{source['name']}/destinations\").json())\n"
    migrated = migrate(source)
    assert "# TODO(migrate): a name from this answer is reused as the path of a call that keeps a TODO" in migrated
    assert "# TODO(migrate): the answer is passed to `print`" in migrated
    assert 'API = "https://platform.segmentapis.com/v1beta"' in migrated
    assert migrated.count("TODO(migrate)") == 2


def test_a_url_that_is_only_a_reused_name_gets_its_endpoint_from_the_name_kind():
    """`f"{API}/{source['name']}"` could be any resource; the answer it comes from says a source."""
    assert_codemod(
        HEADER + NAMES + '        print(requests.get(f"{API}/{source[\'name\']}").json()["display_name"])\n',
        'import requests\n\nAPI = "https://api.segmentapis.com"\nH = {"Authorization": "Bearer x"}\n'
        'if __name__ == "__main__":\n'
        '    for source in requests.get(f"{API}/sources", params={"pagination.count": 10}).json()["data"]["sources"]:\n'
        '        print(requests.get(f"{API}/sources/{source[\'id\']}").json()["data"]["source"]["name"])\n',
    )


def test_no_op_a_reused_name_read_off_an_expression_the_rewrite_would_also_change():
    """The name is read straight off the first call: the new URL would hold that call, whose own
    rewrite would be lost inside it. Only a name read off a variable is reused."""
    source = (
        HEADER
        + "print(len(requests.get(f\"{API}/{requests.get(f'{API}/workspaces/acme/sources/web').json()['name']}"
        + '/destinations").json()["destinations"]))\n'
    )
    migrated = migrate(source)
    assert 'API = "https://platform.segmentapis.com/v1beta"' in migrated
    assert "/workspaces/acme/sources/web').json()['name']}/destinations" in migrated


def test_no_op_a_host_read_from_configuration():
    """call-patterns 12: the code holds only `/v1beta/...` paths; the host is set where the codemod
    cannot see, so the TODO says what to change there."""
    source = (
        'import os\nimport requests\n\nHOST = os.environ["SEGMENT_HOST"]\n'
        'print(requests.get(f"{HOST}/v1beta/workspaces/acme/sources").json()["sources"])\n'
    )
    todo = (
        "# TODO(migrate): the host comes from `HOST`, which this code does not set: point it at the Public host, "
        "and the path drops its version and workspace; the Public call is GET /sources\n"
    )
    assert_todo_added(source, "print(", todo)


def test_no_op_a_path_sent_on_a_connection_made_to_the_host_elsewhere():
    """`http.client`: the host is the connection's, the request names only the path. Rewriting the
    path alone would send a Public path to the Config host (and the answer is read off another call)."""
    source = (
        "import http.client\nimport json\n\n\ndef sources(ws):\n"
        '    conn = http.client.HTTPSConnection("platform.segmentapis.com")\n'
        '    conn.request("GET", f"/v1beta/workspaces/{ws}/sources")\n'
        '    return json.loads(conn.getresponse().read())["sources"]\n'
    )
    todo = (
        "    # TODO(migrate): the request names no host: the host is set where the connection is made (an "
        "`http.client` connection, say), so the two move together by hand; the Public call is GET /sources\n"
    )
    assert_todo_added(source, "    conn.request(", todo)


def test_a_url_variable_of_a_module_that_sends_at_import_is_re_assembled_into_the_call():
    """A script without a main guard: its top-level code sends the request, so it is run, not
    imported for `url`, and the variable goes into the call it alone serves."""
    assert_codemod(
        """\
        import requests

        BASE = "https://platform.segmentapis.com/v1beta"
        url = BASE + "/workspaces/acme/sources"
        sources = requests.get(url).json()["sources"]
        print(len(sources))
        """,
        """\
        import requests

        BASE = "https://api.segmentapis.com"
        sources = requests.get(f"{BASE}/sources", params={"pagination.count": 10}).json()["data"]["sources"]
        print(len(sources))
        """,
    )


def test_no_op_a_url_variable_of_a_module_that_only_defines_functions():
    """Without a main guard or a request sent at import, `url` may be imported by another module:
    it is not removed, and the call keeps reading it."""
    source = """\
        import requests

        BASE = "https://platform.segmentapis.com/v1beta"
        url = BASE + "/workspaces/acme/sources"


        def sources():
            return requests.get(url).json()["sources"]
        """
    assert "url = BASE" in migrate(source)


NEWER_SYNTAX = """import requests

API = "https://platform.segmentapis.com/v1beta"
type Name = str


def names[T](workspace: T) -> list[Name]:
    return [s["name"] for s in requests.get(f"{API}/workspaces/{workspace}/sources").json()["sources"]]


def label(source: dict) -> str:
    return f"{source["name"]}"
"""


def test_code_in_a_newer_pythons_syntax_is_migrated_and_checked_by_libcsts_grammar():
    """`type X = ...`, PEP 695 generics, PEP 701 f-strings: this Python cannot compile the source
    itself, so the rewrite is checked with the grammar that parsed it (it was refused before)."""
    outcome = migrate_source("modern.py", NEWER_SYNTAX, ApplyOptions(IDS))
    assert outcome.error is None
    assert outcome.new_source is not None and "segment_compat.get(" in outcome.new_source


def test_no_op_the_newer_grammar_never_excuses_a_rewrite_this_python_should_parse():
    """Only a source this Python rejects itself is checked by libcst's grammar; a rewrite libcst
    cannot parse either is refused all the same."""
    from codemods.engine import _newer_syntax

    plain = "import requests\n\nrequests.get('x')\n"
    assert not _newer_syntax(plain, "plain.py", "import segment_compat\n\nsegment_compat.get('x'\n")
    assert not _newer_syntax(plain, "plain.py", plain.replace("requests", "segment_compat"))
    assert not _newer_syntax(NEWER_SYNTAX, "modern.py", NEWER_SYNTAX + "def broken(:\n")
    assert _newer_syntax(NEWER_SYNTAX, "modern.py", NEWER_SYNTAX.replace("requests", "segment_compat"))


OTHER_VENDOR_V1BETA = """import requests

MODELS = "v1beta/models"


def models(host):
    return requests.get(f"{host}/{MODELS}", params={"page_token": ""}).json()["models"]


def generate(session, host):
    return session.post(host + "/v1beta/models/gemini:generateContent", json={}).json()
"""


def test_no_op_another_vendors_v1beta_paths_make_no_config_client():
    """`"v1beta/models/..."` is another vendor's versioned path: the module is no Config client, so
    apply routes nothing through the layer (a Config path follows the version: `v1beta/workspaces`)."""
    outcome = migrate_source("gemini.py", OTHER_VENDOR_V1BETA, ApplyOptions(IDS))
    assert outcome.error is None and outcome.new_source == OTHER_VENDOR_V1BETA


JOINED_AND_LOGGED = """import logging
from urllib.parse import urljoin

import requests

HOST = "https://platform.segmentapis.com/"
API = "https://platform.segmentapis.com/v1beta"

url = urljoin(HOST, "v1beta/workspaces/acme/sources")
logging.info("GET %s", f"{API}/workspaces/acme/sources")
print(requests.get(url).json())
"""


def test_no_op_a_config_url_joined_or_logged_gets_no_todo_for_its_sender():
    """`urljoin(HOST, "v1beta/workspaces/...")` and `logging.info(..., url)` send nothing: only the
    request (routed through the layer) changes, and no TODO names them as senders."""
    outcome = migrate_source("joined.py", JOINED_AND_LOGGED, ApplyOptions(IDS))
    assert outcome.new_source is not None and "TODO" not in outcome.new_source
    assert "segment_compat.get(url)" in outcome.new_source
