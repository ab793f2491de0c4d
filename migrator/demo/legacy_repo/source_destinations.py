"""Every source and how many destinations it sends to, following each source's resource name."""
import os

import requests

API = "https://platform.segmentapis.com/v1beta"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_ACCESS_TOKEN"]}


if __name__ == "__main__":
    listed = requests.get(f"{API}/workspaces/acme/sources", headers=HEADERS, params={"page_size": 100})
    listed.raise_for_status()
    for source in listed.json()["sources"]:
        # the source's name (workspaces/acme/sources/<slug>) is the path of its destinations
        answer = requests.get(f"{API}/{source['name']}/destinations", headers=HEADERS, params={"page_size": 100})
        answer.raise_for_status()
        print(f"{source['display_name']}: {len(answer.json()['destinations'])} destination(s)")
