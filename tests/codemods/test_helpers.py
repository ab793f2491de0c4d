"""Chokepoint helpers: a function every Config call goes through moves to the Public API together
with all its callers in the module, or not at all."""

from __future__ import annotations

from .support import assert_codemod, migrate

CLIENT = """\
import requests


class Client:
    base = "https://platform.segmentapis.com/v1beta/"

    def _call(self, method, path, body=None, params=None):
        response = requests.request(method, self.base + path, json=body, params=params)
        response.raise_for_status()
        return response.json()

    def sources(self):
        return self._call("GET", "workspaces/acme/sources", params={"page_size": 50})["sources"]

    def toggle(self, source, on):
        path = "workspaces/acme/sources/%s/destinations/amplitude" % source
        return self._call(
            "PATCH",
            path,
            {"destination": {"enabled": on}, "update_mask": {"paths": ["destination.enabled"]}},
        )["enabled"]
"""


def test_a_helper_class_moves_with_every_caller():
    assert_codemod(
        CLIENT + '\n\nif __name__ == "__main__":\n    print([s["display_name"] for s in Client().sources()])\n',
        CLIENT.replace("import requests\n", "import requests\nimport segment_ids\n")
        .replace("platform.segmentapis.com/v1beta/", "api.segmentapis.com/")
        .replace(
            '"workspaces/acme/sources", params={"page_size": 50})["sources"]',
            '"sources", params={"pagination.count": 50})["data"]["sources"]',
        )
        .replace(
            '"workspaces/acme/sources/%s/destinations/amplitude" % source',
            "f\"destinations/{segment_ids.destination_id(source, 'amplitude')}\"",
        )
        .replace(
            '{"destination": {"enabled": on}, "update_mask": {"paths": ["destination.enabled"]}}', '{"enabled": on}'
        )
        .replace(')["enabled"]', ')["data"]["destination"]["enabled"]')
        + '\n\nif __name__ == "__main__":\n    print([s["name"] for s in Client().sources()])\n',
    )


def test_a_helper_of_a_library_module_is_left_for_callers_in_other_modules():
    """No `__main__` block and a public method returning the answer: other modules read it."""
    after = migrate(CLIENT)
    assert "platform.segmentapis.com/v1beta/" in after
    assert "`sources` returns the answer to callers in other modules" in after


def test_one_caller_that_cannot_move_keeps_the_helper_and_every_caller():
    source = (
        CLIENT + '\n\nif __name__ == "__main__":\n    print(Client()._call("GET", "workspaces/acme/sources/web"))\n'
    )
    after = migrate(source)
    assert "platform.segmentapis.com/v1beta/" in after
    assert "the answer is passed to `print`" in after
    assert '"workspaces/acme/sources", params={"page_size": 50}' in after
    assert after.count("TODO(migrate)") == 4


def test_a_helper_that_reads_the_answer_itself_is_not_moved():
    after = migrate(
        "import requests\nAPI = 'https://platform.segmentapis.com/v1beta/'\n"
        "def _get(path):\n    return requests.get(API + path).json()['sources']\n"
        "if __name__ == '__main__':\n    print(_get('workspaces/acme/sources'))\n"
    )
    assert "this helper is not in a form the codemod moves" in after
