"""Forward violations to the staging source, then block unplanned events."""
import os

import requests

API = "https://platform.segmentapis.com/v1beta"
AUTH = {"Authorization": "Bearer " + os.environ["SEGMENT_ACCESS_TOKEN"]}
SCHEMA = API + "/workspaces/acme/sources/web/schema-config"


def update(fields):
    body = {"schema_config": fields, "update_mask": {"paths": ["schema_config." + key for key in fields]}}
    resp = requests.patch(SCHEMA, headers=AUTH, json=body)
    resp.raise_for_status()
    return resp.json()


if __name__ == "__main__":
    print("forwarding to:", update({"forwarding_violations_to": "web-staging"})["forwarding_violations_to"])
    after = update({"allow_unplanned_track_events": False, "common_track_event_on_violations": "BLOCK"})
    print("unplanned events allowed:", after["allow_unplanned_track_events"], after["common_track_event_on_violations"])
    print("still forwarding to:", after["forwarding_violations_to"])
