"""Sources by label, with the host the reports package keeps."""
import os

import requests

from reports.endpoints import CONFIG_API, WORKSPACE

response = requests.get(
    f"{CONFIG_API}/workspaces/{WORKSPACE}/sources",
    headers={"Authorization": "Bearer " + os.environ["SEGMENT_ACCESS_TOKEN"]},
)
response.raise_for_status()
for source in response.json()["sources"]:
    print(source["display_name"])
