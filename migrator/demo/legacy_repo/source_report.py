"""Report one source: its display name, catalog entry and write keys."""
import os

import requests

API = "https://platform.segmentapis.com/v1beta"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_ACCESS_TOKEN"]}


def source(slug):
    resp = requests.get(f"{API}/workspaces/acme/sources/{slug}", headers=HEADERS)
    resp.raise_for_status()
    return resp.json()


if __name__ == "__main__":
    for slug in ("web", "backend"):
        found = source(slug)
        print(slug, "|", found["display_name"], "|", found["catalog_name"], "|", len(found["write_keys"]), "write key(s)")
