"""The text string expressions evaluate to, through a module's own bindings (`analysis/strings.py`)."""

from __future__ import annotations

import libcst as cst

from migrator.analysis.bindings import Collector, Scope
from migrator.analysis.strings import HOLE, Shapes
from migrator.analysis.visitor import walk_tree


def shapes_of(source: str) -> tuple[Shapes, Collector]:
    collector = Collector()
    walk_tree(cst.parse_module(source), collector)
    return Shapes(collector), collector


def returned_by(collector: Collector, name: str) -> tuple[cst.BaseExpression, Scope]:
    """What the function `name` returns on its first line, and the function's scope."""
    function, scope = next((f, s) for f, s in collector.functions if f.name.value == name)
    statement = function.body.body[0]
    assert isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Return)
    assert statement.body[0].value is not None
    return statement.body[0].value, scope


def test_constants_f_strings_format_and_urljoin_evaluate_with_holes_for_the_unknown():
    source = (
        "from urllib.parse import urljoin\nimport os\n\n"
        'BASE = os.environ.get("API", "https://example.com/v1")\n'
        'PATH = "items/{}/parts"\n\n\n'
        "def url(item, kind):\n"
        '    return urljoin(BASE + "/", PATH.format(item)) + f"?kind={kind}"\n'
    )
    shapes, collector = shapes_of(source)
    returned, scope = returned_by(collector, "url")
    assert shapes.shape(returned, scope) == f"https://example.com/v1/items/{HOLE}/parts?kind={HOLE}"


def test_the_base_of_a_client_a_module_function_makes_in_its_return():
    """`with client() as http: http.get("/sources")`, `client` returning `httpx.Client(base_url=API)`:
    the call's client base is the function's, read in the function's scope."""
    source = (
        'import httpx\n\nAPI = "https://example.com/v1"\n\n\ndef client():\n    return httpx.Client(base_url=API)\n\n\n'
        'def sources():\n    with client() as http:\n        return http.get("/sources")\n'
    )
    shapes, collector = shapes_of(source)
    scope = next(s for f, s in collector.functions if f.name.value == "sources")
    call = next(
        node
        for node in collector.calls[id(scope)]
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "get"
    )
    assert shapes.client_base(call, scope) == "https://example.com/v1"


def test_an_attribute_a_method_binds_is_read_in_that_method():
    """`self.base = base_url` in `__init__`, `base_url` a parameter with a default: read in another
    method, `self.base` is that default (the names of `__init__`, not of the method reading it)."""
    source = (
        "class Client:\n"
        '    def __init__(self, base_url="https://example.com/v1", version="v2"):\n'
        "        self.base = base_url\n"
        '        self.root = f"{base_url}/{version}"\n\n'
        "    def url(self, base_url, path):\n"
        '        return f"{self.root}/{path}"\n'
    )
    shapes, collector = shapes_of(source)
    returned, scope = returned_by(collector, "url")
    assert shapes.shape(returned, scope) == f"https://example.com/v1/v2/{HOLE}"


def test_a_url_the_function_builds_in_a_local_mentions_its_parameters():
    source = (
        "def send(verb, path, payload=None):\n"
        '    url = f"https://example.com/v1/{path}"\n'
        "    target = url\n"
        "    return verb, target\n"
    )
    shapes, collector = shapes_of(source)
    function, scope = collector.functions[0]
    target = function.body.body[2].body[0].value.elements[1].value
    assert shapes.mentions(target, scope.params) == []
    assert shapes.mentions(target, scope.params, scope) == ["path"]


def test_path_joins_and_stripped_bases_evaluate_as_the_url_they_build():
    source = (
        "import os\n\n"
        'BASE = "https://example.com/v1/"\n\n\n'
        "def url(item):\n"
        '    return os.path.join(BASE, "items", item), BASE.rstrip("/") + "/parts", os.path.join(BASE, "/root")\n'
    )
    shapes, collector = shapes_of(source)
    returned, scope = returned_by(collector, "url")
    assert isinstance(returned, cst.Tuple)
    joined, stripped, rooted = (element.value for element in returned.elements)
    assert shapes.shape(joined, scope) == f"https://example.com/v1/items/{HOLE}"
    assert shapes.shape(stripped, scope) == "https://example.com/v1/parts"
    assert shapes.shape(rooted, scope) == "/root"  # as posixpath.join drops what comes before an absolute part


def test_a_dict_entry_and_a_url_builder_of_the_module_evaluate_for_each_call():
    """`SETTINGS["root"]` reads the dict literal's entry; `_url("regulations", rid)` is what the
    function's one `return` makes of those arguments, `*parts` joined with "/" included."""
    source = (
        'SETTINGS = {"root": "https://example.com", "version": "v1"}\n\n\n'
        "def _url(*parts):\n"
        '    """The URL of a path under the API."""\n'
        '    return "%s/%s/%s" % (SETTINGS["root"], SETTINGS["version"], "/".join(parts))\n\n\n'
        "def _item(kind, item=None):\n"
        "    return f\"{SETTINGS['root']}/{kind}/{item}\"\n\n\n"
        "def status(rid):\n"
        '    return _url("regulations", rid), _item("users", item="me"), _item("users"), _url(*rid)\n'
    )
    shapes, collector = shapes_of(source)
    returned, scope = returned_by(collector, "status")
    assert isinstance(returned, cst.Tuple)
    assert [shapes.shape(element.value, scope) for element in returned.elements] == [
        f"https://example.com/v1/regulations/{HOLE}",
        "https://example.com/users/me",
        f"https://example.com/users/{HOLE}",
        f"https://example.com/v1/{HOLE}",  # `*rid` into `*parts`: the parts, one value not known
    ]


def test_a_url_builder_with_locals_and_a_return_that_depends_on_a_parameter_given():
    """`url = ...` then `return url + "/" + plan_id if plan_id else url`: each call's shape follows
    whether it gave `plan_id` (its default None leaves it out)."""
    source = (
        'BASE = "https://example.com/v1"\n\n\n'
        "def plan_url(plan_id=None):\n"
        '    url = "{}/plans".format(BASE)\n'
        '    return url + "/" + plan_id if plan_id is not None else url\n\n\n'
        "def calls(pid):\n"
        "    return plan_url(), plan_url(pid), plan_url(plan_id=pid)\n"
    )
    shapes, collector = shapes_of(source)
    returned, scope = returned_by(collector, "calls")
    assert isinstance(returned, cst.Tuple)
    assert [shapes.shape(element.value, scope) for element in returned.elements] == [
        "https://example.com/v1/plans",
        f"https://example.com/v1/plans/{HOLE}",
        f"https://example.com/v1/plans/{HOLE}",
    ]


def test_a_method_building_the_url_from_self_and_its_star_arguments():
    """`self.url("sources", source)` of `def url(self, *parts): return "/".join([self.base,
    "workspaces", self.workspace, *parts])`: the method's `self` attributes and the call's arguments."""
    source = (
        "class Client:\n"
        '    def __init__(self, workspace, base="https://example.com/v1"):\n'
        "        self.base = base\n"
        "        self.workspace = workspace\n\n"
        "    def url(self, *parts):\n"
        '        return "/".join([self.base, "workspaces", self.workspace, *parts])\n\n'
        "    def destinations(self, source):\n"
        '        return self.url("sources", source, "destinations")\n'
    )
    shapes, collector = shapes_of(source)
    returned, scope = returned_by(collector, "destinations")
    assert shapes.shape(returned, scope) == f"https://example.com/v1/workspaces/{HOLE}/sources/{HOLE}/destinations"


def test_an_instance_reads_its_classs_field_defaults():
    """`config = Config()` of a dataclass whose `api: str = "https://..."`: `config.api` is that default."""
    source = (
        "from dataclasses import dataclass\n\n\n"
        "@dataclass\nclass Config:\n"
        '    api: str = "https://example.com/v1"\n\n\n'
        "config = Config()\n\n\n"
        "def url():\n"
        '    return f"{config.api}/items"\n'
    )
    shapes, collector = shapes_of(source)
    returned, scope = returned_by(collector, "url")
    assert shapes.shape(returned, scope) == "https://example.com/v1/items"


def test_a_class_attribute_reads_through_the_bases_and_not_where_a_subclass_binds_it_again():
    """`BASE_URL` of the base class, read in a subclass's method, is the base's; `collection`, which
    each subclass binds again (`collection = "sources"` over the base's `""`), is not the base's
    value in the base's method: it is whichever the instance's class says, so a hole."""
    source = (
        "class Resource:\n"
        '    BASE_URL = "https://example.com/v1"\n'
        '    collection = ""\n\n'
        "    def url(self):\n"
        '        return "/".join([self.BASE_URL, "items", self.collection])\n\n\n'
        "class Parts(Resource):\n"
        '    collection = "parts"\n\n'
        "    def first(self):\n"
        '        return self.BASE_URL + "/first"\n'
    )
    shapes, collector = shapes_of(source)
    returned, scope = returned_by(collector, "url")
    assert shapes.shape(returned, scope) == f"https://example.com/v1/items/{HOLE}"
    returned, scope = returned_by(collector, "first")
    assert shapes.shape(returned, scope) == "https://example.com/v1/first"


def test_a_percent_template_filled_from_a_dict():
    """`"%(base)s/items/%(item)s" % {"base": BASE, "item": item}`: each named field its entry's value."""
    source = (
        'BASE = "https://example.com/v1"\n'
        'ITEM_URL = "%(base)s/items/%(item)s/parts%%"\n\n\n'
        "def url(item):\n"
        '    return ITEM_URL % {"base": BASE, "item": item}\n'
    )
    shapes, collector = shapes_of(source)
    returned, scope = returned_by(collector, "url")
    assert shapes.shape(returned, scope) == f"https://example.com/v1/items/{HOLE}/parts%"


def test_a_builder_handed_the_callers_own_star_arguments():
    """`self.url(*parts)` inside `request(self, method, *parts)`: the parts are one value not known,
    after what the builder puts first."""
    source = (
        "class Client:\n"
        '    base = "https://example.com/v1"\n\n'
        "    def url(self, *parts):\n"
        '        return "/".join([self.base, "items", *parts])\n\n'
        "    def request(self, method, *parts):\n"
        "        return self.url(*parts)\n"
    )
    shapes, collector = shapes_of(source)
    returned, scope = returned_by(collector, "request")
    assert shapes.shape(returned, scope) == f"https://example.com/v1/items/{HOLE}"
