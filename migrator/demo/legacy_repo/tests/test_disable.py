"""Pins the runbook's request (pattern 13): the URL, the body and what the answer is read for."""
import os
import sys
import unittest
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SEGMENT_ACCESS_TOKEN", "test-token")

import disable_destination  # noqa: E402


class DisableTest(unittest.TestCase):
    def test_turning_off_sends_the_mask_and_reads_enabled(self):
        with mock.patch.object(disable_destination.requests, "patch") as patch:
            patch.return_value.json.return_value = {"display_name": "Google Analytics", "enabled": False}
            self.assertIs(disable_destination.set_enabled("web", "google-analytics", False), False)
        self.assertEqual(
            patch.call_args.args[0],
            "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/google-analytics",
        )
        self.assertEqual(
            patch.call_args.kwargs["json"],
            {"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}},
        )


if __name__ == "__main__":
    unittest.main()
