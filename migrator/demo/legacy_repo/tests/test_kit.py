"""Pins the admin kit's legacy request by mocking requests.request: it must keep passing."""
import os
import sys
import unittest
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SEGMENT_ACCESS_TOKEN", "test-token")

from admin_kit import ConfigApi  # noqa: E402


class KitTest(unittest.TestCase):
    def test_disabling_a_destination_sends_the_masked_patch(self):
        with mock.patch("requests.request") as request:
            request.return_value.json.return_value = {"enabled": False}
            web = ConfigApi("test-token").workspace("acme").sources.source("web")
            self.assertEqual(web.set_destination_enabled("amplitude", False), {"enabled": False})
        verb, url = request.call_args.args
        self.assertEqual(verb, "PATCH")
        self.assertEqual(url, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/amplitude")


if __name__ == "__main__":
    unittest.main()
