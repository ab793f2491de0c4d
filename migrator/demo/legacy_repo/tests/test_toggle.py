"""A test that pins the legacy URL and body (pattern 13): it must change with the code."""
import os
import sys
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SEGMENT_ACCESS_TOKEN", "test-token")

import toggle_destination  # noqa: E402


def test_disabling_sends_the_mask_without_a_value():
    with mock.patch.object(toggle_destination.session, "request") as request:
        request.return_value.json.return_value = {"enabled": False}
        assert toggle_destination.set_enabled("web", "google-analytics", False) is False
    method, url = request.call_args.args
    assert method == "PATCH"
    assert url == "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/google-analytics"
    assert request.call_args.kwargs["json"] == {"destination": {}, "update_mask": {"paths": ["destination.enabled"]}}
