"""`migrate verify`'s explanation of a difference that is only what the Public API does not give back."""

from __future__ import annotations

import json

from mappings import load_map
from migrator.codec import masked_secret
from migrator.losses import explained

SOURCE = {
    "name": "workspaces/acme/sources/web",
    "display_name": "Web",
    "library_config": {"metrics_enabled": False},
    "create_time": "2024-03-01T12:00:02.000Z",
}


def test_an_answer_printed_whole_differs_only_in_fields_the_public_api_does_not_carry():
    after = {**SOURCE, "library_config": {}, "create_time": None}
    before_text = "sources:\n" + json.dumps({"sources": [SOURCE]})
    after_text = "sources:\n" + json.dumps({"sources": [after]}, separators=(",", ":"))
    assert explained(before_text, after_text) == (
        "only in fields the Public API does not carry (create_time, library_config)"
    )


def test_a_printed_python_dict_with_a_masked_secret():
    secret = "tX3vNfAaP2bE8sQ1706"
    before = repr({"name": "apiKey", "value": secret})
    after = repr({"name": "apiKey", "value": masked_secret(load_map(), secret)})
    assert explained(before, after) == "only in secret settings it masks (value)"


def test_no_op_a_value_that_changed_is_left_unexplained():
    assert explained(json.dumps(SOURCE), json.dumps({**SOURCE, "display_name": "Website"})) is None


def test_no_op_a_flag_that_flipped_is_no_loss():
    assert explained(json.dumps({"enabled": True}), json.dumps({"enabled": False})) is None


def test_no_op_lines_that_are_no_literals_or_are_added():
    assert explained("Web: on", "Web: off") is None
    assert explained(json.dumps(SOURCE), json.dumps(SOURCE) + "\nmore") is None


def test_a_pretty_printed_answer_among_lines_of_text():
    """`click.echo(json.dumps(answer, indent=1))` after a list of names: the document spans many
    lines, and the line counts of the two sides differ (an empty `library_config` is one line)."""
    after = {**SOURCE, "library_config": {}, "create_time": None}
    before_text = f"Web\nBackend\n{json.dumps(SOURCE, indent=1, sort_keys=True)}\ndone\n"
    after_text = f"Web\nBackend\n{json.dumps(after, indent=1, sort_keys=True)}\ndone\n"
    assert before_text.count("\n") != after_text.count("\n")
    assert explained(before_text, after_text) == (
        "only in fields the Public API does not carry (create_time, library_config)"
    )


def test_no_op_a_pretty_printed_answer_with_a_line_of_text_changed_beside_it():
    after = {**SOURCE, "library_config": {}, "create_time": None}
    before_text = f"Web\n{json.dumps(SOURCE, indent=1)}\n"
    after_text = f"Website\n{json.dumps(after, indent=1)}\n"
    assert explained(before_text, after_text) is None


def test_no_op_text_in_brackets_is_text():
    assert explained("[INFO] 3 sources\n", "[INFO] 4 sources\n") is None
