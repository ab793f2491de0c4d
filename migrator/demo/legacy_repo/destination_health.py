"""Which destinations of the web source are switched off (from a snippet Postman generated)."""
import http.client
import json
import os

conn = http.client.HTTPSConnection("platform.segmentapis.com")
headers = {
    "Authorization": "Bearer " + os.environ["SEGMENT_ACCESS_TOKEN"],
    "Content-Type": "application/json",
}
conn.request("GET", "/v1beta/workspaces/acme/sources/web/destinations", "", headers)
res = conn.getresponse()
data = json.loads(res.read().decode("utf-8"))
conn.close()

print(res.status, res.reason)
for destination in data["destinations"]:
    state = "on" if destination["enabled"] else "OFF"
    print(f"{destination['display_name']}: {state}")
