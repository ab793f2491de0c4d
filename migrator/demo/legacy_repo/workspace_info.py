"""Print which workspace the token belongs to (a CI sanity check)."""
import os

import requests

API = "https://platform.segmentapis.com/v1beta"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_ACCESS_TOKEN"]}


if __name__ == "__main__":
    workspace = requests.get(f"{API}/workspaces/acme", headers=HEADERS).json()
    print("workspace:", workspace["name"].split("/")[-1], "-", workspace["display_name"])
