"""Each public method of tubular's SegmentApi, against whatever Segment host is routed."""

import json
import logging
import os
import sys

sys.path.insert(0, sys.argv[1])
from tubular.segment_api import SegmentApi

logged = []


class Keep(logging.Handler):
    def emit(self, record):
        logged.append(record.getMessage())


logging.getLogger("tubular.segment_api").addHandler(Keep())
logging.getLogger("tubular.segment_api").setLevel(logging.INFO)
api = SegmentApi("https://platform.segmentapis.com/", os.environ["SEGMENT_TOKEN"], "acme")
learners = [
    {"user": {"id": 1000 + n}, "original_username": f"learner{n}", "ecommerce_segment_id": f"e{n}"} for n in range(3)
]


def run(name, call):
    logged.clear()
    try:
        answer = call()
        print(
            "method",
            name,
            "->",
            json.dumps({"returned": answer, "logged": [m for m in logged if "Id:" not in m]}, sort_keys=True),
        )
    except Exception as error:
        print(
            "method",
            name,
            "-> error",
            type(error).__name__,
            getattr(getattr(error, "response", None), "status_code", None),
        )
    return list(logged)


created = run("delete_and_suppress_learners", lambda: api.delete_and_suppress_learners(learners, 2))
run("delete_and_suppress_learner", lambda: api.delete_and_suppress_learner(learners[0]))
run("unsuppress_learners_by_key", lambda: api.unsuppress_learners_by_key("original_username", learners, 5))
ids = [m.split("Id: ")[1] for m in created if "Id: " in m]
print("method regulate ids logged ->", len(ids))
run("get_bulk_delete_status(created)", lambda: api.get_bulk_delete_status(ids[0]))
run("get_bulk_delete_status(missing)", lambda: api.get_bulk_delete_status("nope"))
