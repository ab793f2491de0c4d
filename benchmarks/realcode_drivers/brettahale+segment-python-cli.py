"""Each public method of the segment-python-cli client, against whatever Segment host is routed."""

import contextlib
import io
import json
import os
import sys

sys.path.insert(0, sys.argv[1])
sys.path.insert(0, os.path.join(sys.argv[1], "cli"))
from segment.segment_config_api import SegmentConfigApi

api = SegmentConfigApi(access_token=os.environ["SEGMENT_TOKEN"])


def run(name, call):
    quiet = io.StringIO()
    try:
        with contextlib.redirect_stdout(quiet):  # the client prints each request, token included
            answer = call()
        print("method", name, "->", json.dumps(answer, sort_keys=True))
    except Exception as error:
        status = getattr(getattr(error, "response", None), "status_code", None)
        print("method", name, "-> error", type(error).__name__, status)


ws = api.workspace("acme")
web = ws.source("web")
run("workspaces.list", lambda: api.workspaces.list())
run("workspace.get", lambda: ws.get())
run("sources.list", lambda: ws.sources.list())
run("sources.list(page_size=2)", lambda: ws.sources.list(page_size=2))
run("source.get", lambda: web.get())
run("source.get_schema_config", lambda: web.get_schema_config())
run("destinations.list", lambda: web.destinations.list())
run("destination.get", lambda: web.destination("google-analytics").get())
run("destination.get missing", lambda: web.destination("nope").get())
run("filters.list", lambda: web.destination("google-analytics").filters.list())
run("functions.list", lambda: ws.functions.list())
run("functions.list(DESTINATION)", lambda: ws.functions.list(function_type="DESTINATION"))
run("regulations.list", lambda: ws.regulations.list())
run("source.get missing", lambda: ws.source("nope").get())
run("sources.create (form body)", lambda: ws.sources.create({"source": {"name": "workspaces/acme/sources/x"}}))
run("source.delete", lambda: ws.source("web-staging").delete("web-staging"))
run("destination.delete", lambda: ws.source("ios-app").destination("amplitude").delete("amplitude"))
run(
    "destination.update (form body)",
    lambda: web.destination("google-analytics").update({"destination": {"enabled": False}}),
)
run("source.update_schema_config (form body)", lambda: web.update_schema_config({"schema_config": {}}))
