"""The weekly digest: tracking plans and a source's destinations, read through the jobs' HTTP helpers."""
import os

from ops_http import HttpFailure, get_json

CONFIG_API = "https://platform.segmentapis.com/v1beta/workspaces/acme"

if __name__ == "__main__":
    token = os.environ["SEGMENT_ACCESS_TOKEN"]
    for plan in get_json(f"{CONFIG_API}/tracking-plans", token)["tracking_plans"]:
        print("plan", plan["display_name"])
    for destination in get_json(f"{CONFIG_API}/sources/ios-app/destinations", token, page_size=10)["destinations"]:
        print("ios-app ->", destination["display_name"])
    try:
        get_json(f"{CONFIG_API}/sources/retired-source", token)
    except HttpFailure as failure:
        print("gone:", failure)
