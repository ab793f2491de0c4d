"""Why a call the scanner reads is not `auto`: the reason names what apply needs to see. (The CLI
then gives each call apply's own verdict: `tests/codemods/test_judge.py`.)"""

from __future__ import annotations

from migrator.scan import scan_source

HEADER = 'import requests\nAPI = "https://platform.segmentapis.com/v1beta"\n'


def _calls(code: str) -> list[tuple[str, str | None]]:
    findings, error = scan_source("script.py", HEADER + code)
    assert error is None
    return [(finding.fixability, finding.reason) for finding in findings if finding.kind == "call"]


def test_a_resource_name_reused_as_the_path_says_where_apply_can_move_it():
    [(fixability, reason)] = _calls('def f(name):\n    return requests.get(f"{API}/{name}/destinations")\n')
    assert fixability == "manual"
    assert reason == (
        "the path is a resource name read at run time; apply rewrites it to the object's id where the name "
        "comes from an answer it follows"
    )


def test_a_segment_built_at_run_time_is_not_taken_for_a_name():
    [(fixability, reason)] = _calls(
        'def f(rest):\n    return requests.get(f"{API}/workspaces/acme/{rest}/destinations")\n'
    )
    assert (fixability, reason) == ("manual", "part of the path is built at run time")


def test_a_call_with_no_public_twin_says_so_and_nothing_of_the_layer():
    [(fixability, reason)] = _calls('requests.post(f"{API}/access-tokens", auth=("u", "p"), json={})\n')
    assert fixability == "manual" and reason is not None
    assert reason.startswith("no Public API twin") and "compatibility layer" not in reason


def test_a_python_2_file_is_read_as_text_and_left_to_a_person_who_ports_it_first():
    """`print "x"`: the file does not parse, so apply cannot rewrite it, whatever the text says; the
    reason says so and says why (Python 2), and the base and request are still found."""
    source = (
        "import urllib2\n"
        'BASE = "https://platform.segmentapis.com/v1beta/workspaces/acme"\n'
        'request = urllib2.Request(BASE + "/sources")\n'
        'print "sources"\n'
    )
    findings, error = scan_source("legacy.py", source)
    assert error is not None and "Python 2 syntax at line 4" in error.message
    assert [(f.line, f.kind, f.endpoint, f.fixability) for f in findings] == [
        (2, "base_url", None, "manual"),
        (3, "url", "sources.list", "manual"),
    ]
    assert all("port it to Python 3 first" in (f.reason or "") for f in findings)


def test_a_read_of_a_field_the_public_api_does_not_carry_needs_a_person():
    """Moved natively or through the layer, the call answers null for `create_time`: the scan says so
    on the read, and apply's verdict on the call (the layer routes it) does not make it `auto`."""
    code = 'def newest():\n    answer = requests.get(f"{API}/workspaces/acme/sources").json()["sources"]\n'
    code += '    return max(answer, key=lambda s: s["create_time"])\n'
    findings, error = scan_source("script.py", HEADER + code)
    assert error is None
    reads = {f.message: (f.fixability, f.reason) for f in findings if f.kind == "consumer"}
    lost = reads["reads 'create_time' from a Config answer, which the Public API does not carry"]
    assert lost == (
        "manual",
        "a value the migration cannot carry: the Public API does not carry `create_time`, which reads null "
        "after it; this read needs a person",
    )
