"""Which destinations each source feeds, from a small client class of this script's own: its methods
hand each answer to the script's main, which passes every source back to the client."""
import os

import requests


class Platform:
    ROOT = "https://platform.segmentapis.com/v1beta/"

    def __init__(self, token, workspace):
        self.headers = {"Authorization": "Bearer " + token}
        self.workspace = workspace

    def sources(self):
        answer = requests.get(self.ROOT + "workspaces/" + self.workspace + "/sources", headers=self.headers,
                              params={"page_size": 50})
        answer.raise_for_status()
        return answer.json()["sources"]

    def destinations_of(self, source):
        answer = requests.get(self.ROOT + source["name"] + "/destinations", headers=self.headers)
        answer.raise_for_status()
        return answer.json()["destinations"]


if __name__ == "__main__":
    platform = Platform(os.environ["SEGMENT_ACCESS_TOKEN"], "acme")
    for source in sorted(platform.sources(), key=lambda item: item["display_name"]):
        feeds = sorted(destination["display_name"] for destination in platform.destinations_of(source))
        print(f"{source['display_name']} -> {', '.join(feeds) or 'nothing'}")
