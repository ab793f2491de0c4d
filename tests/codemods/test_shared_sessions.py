"""A session one module makes at its top level (`session = requests.Session()` with its retries and
token) and Config clients in other modules import: the layer makes it where it is made, though that
module names no Config URL, so every request on it, in any module, reaches the Public API.

Repository-wide, so each test lays out a small tree and runs `apply` over it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from migrator.compat import PACKAGE

from .test_shared_bases import migrated, migrated_beside, tree

HTTP = '''\
    """One session for the tool: retries and the token in one place."""
    import os

    import requests
    from requests.adapters import HTTPAdapter

    session = requests.Session()
    session.mount("https://", HTTPAdapter(max_retries=2))
    session.headers["Authorization"] = "Bearer " + os.environ.get("SEGMENT_ACCESS_TOKEN", "")
    '''
SETTINGS = """\
    API = "https://platform.segmentapis.com/v1beta"
    """
PLANS = """\
    from .http import session
    from .settings import API


    def plans(workspace):
        answer = session.get(f"{API}/workspaces/{workspace}/tracking-plans")
        answer.raise_for_status()
        return answer.json()["tracking_plans"]


    def destinations(workspace, source):
        answer = session.get(f"{API}/workspaces/{workspace}/sources/{source}/destinations")
        answer.raise_for_status()
        return answer.json()["destinations"]
    """
MAIN = """\
    from tool.plans import destinations, plans

    print(sorted(plan["display_name"] for plan in plans("acme"))[:3])
    print(sorted(item["name"].rsplit("/", 1)[-1] for item in destinations("acme", "backend")))
    """


def layout(root: Path) -> Path:
    return tree(
        root,
        {
            "tool/__init__.py": "",
            "tool/http.py": HTTP,
            "tool/settings.py": SETTINGS,
            "tool/plans.py": PLANS,
            "main.py": MAIN,
        },
    )


def test_a_session_a_config_client_imports_is_made_by_the_layer_where_it_is_made(tmp_path: Path):
    """`plans` and `destinations` hand their answers to callers in another module, so they cannot
    move natively: their requests go through the layer, on the session `http.py` makes."""
    files = migrated(layout(tmp_path))
    assert "session = segment_compat.Session()\n" in files["tool/http.py"]
    assert 'session.mount("https://", HTTPAdapter(max_retries=2))' in files["tool/http.py"], "the rest as it was"
    assert files["tool/plans.py"] == textwrap.dedent(PLANS), "no TODO, no lookup imported: the session carries it"
    assert f"{PACKAGE}/__init__.py" in files


def test_the_shared_session_behaves_the_same_on_the_public_api(tmp_path: Path):
    runs = migrated_beside(layout(tmp_path / "legacy"))
    assert runs.before.returncode == 0, runs.before.stderr
    assert (runs.now.returncode, runs.now.stdout) == (0, runs.before.stdout), runs.now.stderr
    assert runs.config_calls == 0 and runs.public_calls > 0


def test_no_op_a_session_module_no_config_client_imports(tmp_path: Path):
    """`http.py`'s session serves another API's module only: nothing to route, nothing changes."""
    other = PLANS.replace("from .settings import API", 'API = "https://api.example.com/v2"')
    root = tree(tmp_path, {"tool/__init__.py": "", "tool/http.py": HTTP, "tool/plans.py": other})
    files = migrated(root)
    assert "session = requests.Session()" in files["tool/http.py"]
    assert f"{PACKAGE}/__init__.py" not in files


FACTORY = """\
    import requests


    def make_session(token):
        made = requests.Session()
        made.headers["Authorization"] = f"Bearer {token}"
        return made
    """
CLIENT = """\
    import requests

    from .http import make_session

    API = "https://platform.segmentapis.com/v1beta"


    class Client:
        def __init__(self, token, session=None):
            self.session = session or make_session(token)

        def get(self, path):
            answer = self.session.get(f"{API}/{path}")
            answer.raise_for_status()
            return answer.json()


    class Other:
        def __init__(self):
            self.session = requests.Session()
    """


def test_a_session_factory_a_config_client_imports_makes_the_layers_session(tmp_path: Path):
    """`make_session(token)` in `http.py` makes and returns the session `Client` sends on: the layer
    makes it there, and `Client`'s requests need no TODO."""
    root = tree(tmp_path, {"tool/__init__.py": "", "tool/http.py": FACTORY, "tool/client.py": CLIENT})
    files = migrated(root)
    assert "    made = segment_compat.Session()\n" in files["tool/http.py"]
    assert "TODO(migrate)" not in files["tool/client.py"]


def test_another_classs_session_does_not_carry_a_clients_requests(tmp_path: Path):
    """`Other.session` is made by the layer, but `Client.session` (from a factory apply does not
    know of) is another session: `Client`'s requests keep their TODO rather than counting as routed."""
    unknown = CLIENT.replace("from .http import make_session", "from vendor.http import make_session")
    root = tree(tmp_path, {"tool/__init__.py": "", "tool/client.py": unknown})
    files = migrated(root)
    assert "        self.session = segment_compat.Session()\n" in files["tool/client.py"], "Other's"
    assert "TODO(migrate)" in files["tool/client.py"]


SESSION_CLASS = """\
    import requests
    from requests.adapters import HTTPAdapter


    class RetrySession(requests.Session):
        def __init__(self):
            super().__init__()
            self.mount("https://", HTTPAdapter(max_retries=3))
    """
CLASS_CLIENT = """\
    from .http import RetrySession

    API = "https://platform.segmentapis.com/v1beta"


    class Client:
        def __init__(self):
            self.session = RetrySession()

        def plans(self, workspace):
            return self.session.get(f"{API}/workspaces/{workspace}/tracking-plans").json()["tracking_plans"]
    """


def test_a_session_class_a_config_client_imports_derives_from_the_layers_session(tmp_path: Path):
    root = tree(tmp_path, {"tool/__init__.py": "", "tool/http.py": SESSION_CLASS, "tool/client.py": CLASS_CLIENT})
    files = migrated(root)
    assert "class RetrySession(segment_compat.Session):" in files["tool/http.py"]
    assert files["tool/client.py"] == textwrap.dedent(CLASS_CLIENT)


def test_a_client_reading_its_base_through_the_settings_module_gets_the_session_routed(tmp_path: Path):
    """`from . import settings`, then `settings.API`: the client names no constant in an import line,
    yet it is a Config client, and the session it imports from `http.py` is made by the layer."""
    through_module = PLANS.replace("from .settings import API", "from . import settings").replace(
        "{API}", "{settings.API}"
    )
    root = tree(
        tmp_path,
        {"tool/__init__.py": "", "tool/http.py": HTTP, "tool/settings.py": SETTINGS, "tool/plans.py": through_module},
    )
    files = migrated(root)
    assert "session = segment_compat.Session()\n" in files["tool/http.py"]


HTTP_HELPERS = '''\
    """HTTP helpers for our scripts: retries and errors in one place."""
    import requests


    def get_json(url, headers=None):
        response = requests.get(url, headers=headers, timeout=30)
        response.raise_for_status()
        return response.json()


    def status():
        return requests.get("https://status.example.com/api").ok
    '''
HELPED = """\
    from . import settings
    from .helpers import get_json


    def plans(workspace):
        return get_json(f"{settings.API}/workspaces/{workspace}/tracking-plans")["tracking_plans"]
    """


def test_a_sending_helper_a_config_client_imports_sends_through_the_layer(tmp_path: Path):
    """`get_json(url)` in `helpers.py` sends what it is handed, and a Config client hands it Config
    URLs: its request goes through the layer there (any other URL reaches requests as called). A
    function sending a URL of its own is no helper of the client's."""
    root = tree(
        tmp_path,
        {
            "tool/__init__.py": "",
            "tool/helpers.py": HTTP_HELPERS,
            "tool/settings.py": SETTINGS,
            "tool/plans.py": HELPED,
        },
    )
    files = migrated(root)
    assert "response = segment_compat.get(url, headers=headers, timeout=30)" in files["tool/helpers.py"]
    assert 'return requests.get("https://status.example.com/api").ok' in files["tool/helpers.py"]
    assert files["tool/plans.py"] == textwrap.dedent(HELPED)


def test_no_op_a_sending_helper_no_config_client_imports(tmp_path: Path):
    other = HELPED.replace("from . import settings", "from . import other as settings")
    root = tree(
        tmp_path,
        {
            "tool/__init__.py": "",
            "tool/helpers.py": HTTP_HELPERS,
            "tool/other.py": 'API = "https://api.example.com/v2"\n',
            "tool/plans.py": other,
        },
    )
    files = migrated(root)
    assert files["tool/helpers.py"] == textwrap.dedent(HTTP_HELPERS)
    assert f"{PACKAGE}/__init__.py" not in files


HTTP_CLIENT_CLASS = '''\
    import requests


    class HttpClient:
        """A JSON client with retries, for every API our jobs call."""

        def __init__(self, token):
            self.session = requests.Session()
            self.session.headers["Authorization"] = f"Bearer {token}"

        def request(self, method, url, **kwargs):
            response = self.session.request(method, url, timeout=30, **kwargs)
            response.raise_for_status()
            return response.json()
    '''
CLASS_USER = """\
    from .http_client import HttpClient

    API = "https://platform.segmentapis.com/v1beta"


    class Segment:
        def __init__(self, token):
            self.http = HttpClient(token)

        def plans(self, workspace):
            return self.http.request("GET", f"{API}/workspaces/{workspace}/tracking-plans")["tracking_plans"]
    """


def test_an_http_client_class_a_config_client_sends_through_makes_the_layers_session(tmp_path: Path):
    """`HttpClient(token).request(method, url)` in another module, making its session in `__init__`:
    the session is the layer's there, and the Config client's module is left as it was."""
    root = tree(tmp_path, {"tool/__init__.py": "", "tool/http_client.py": HTTP_CLIENT_CLASS, "tool/api.py": CLASS_USER})
    files = migrated(root)
    assert "self.session = segment_compat.Session()" in files["tool/http_client.py"]
    assert files["tool/api.py"] == textwrap.dedent(CLASS_USER)
