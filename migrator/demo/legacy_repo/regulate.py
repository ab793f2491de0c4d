"""GDPR: suppress and delete the users a support ticket names, one regulation each."""
import os

import requests

API = "https://platform.segmentapis.com/v1beta"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_ACCESS_TOKEN"]}


def suppress_and_delete(user_id):
    body = {"regulation_type": "Suppress_With_Delete", "attributes": {"name": "userId", "values": [user_id]}}
    resp = requests.post(f"{API}/workspaces/acme/regulations", headers=HEADERS, json=body)
    resp.raise_for_status()
    return resp.json()["regulate_id"]


if __name__ == "__main__":
    for user_id in ("user-4242", "user-4343"):
        regulate_id = suppress_and_delete(user_id)
        print(user_id, "regulation created:", len(regulate_id) == 27)
