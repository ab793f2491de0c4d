"""workspace-graph-generator is a script: its behaviour is the graph it prints, so the driver runs
it as `python generate.py` would, against whatever Segment host is routed.

Its constructor mints a token through `access-tokens`, which has no Public twin: the migration leaves
it with a TODO saying to store a Public token instead. The driver stands in for that manual step on
both sides alike: the minting request is answered here with the token the run was given.

The script's own functions (`get_sources`, `get_destinations`) pass answers to the script's main,
their only caller, so after a native rewrite they hand over Public objects: what they return is
not the script's behaviour and is not compared. The graph is printed from sets, in an order that
changes from run to run, so its lines are compared sorted."""

import contextlib
import io
import json
import os
import runpy
import sys

import requests

tree = sys.argv[1]
real_post = requests.post


class Minted:
    status_code = 200
    ok = True

    def json(self):
        return {"token": os.environ["SEGMENT_TOKEN"]}


def post(url, *args, **kwargs):
    if str(url).endswith("access-tokens"):
        return Minted()
    return real_post(url, *args, **kwargs)


requests.post = post
os.environ.update(USER="someone@example.com", PASS="password", WORKSPACE="acme")
printed = io.StringIO()
try:
    with contextlib.redirect_stdout(printed):
        runpy.run_path(os.path.join(tree, "generate.py"), run_name="__main__")
    print("method python generate.py ->", json.dumps(sorted(printed.getvalue().splitlines())))
except Exception as error:
    print("method python generate.py -> error", type(error).__name__, str(error)[:80])
