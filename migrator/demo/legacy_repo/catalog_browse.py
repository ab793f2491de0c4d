"""List the destination catalog, page by page, for the integrations wiki."""
import os

import requests

API = "https://platform.segmentapis.com/v1beta"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_ACCESS_TOKEN"]}

if __name__ == "__main__":
    names = []
    cursor = None
    while True:
        params = {"page_size": 3}
        if cursor:
            params["page_token"] = cursor
        body = requests.get(f"{API}/catalog/destinations", headers=HEADERS, params=params).json()
        names.extend(body["destinations"])
        cursor = body.get("next_page_token")
        if not cursor:
            break
    for entry in names:
        print(entry["name"].split("/")[-1], "-", entry["display_name"])
