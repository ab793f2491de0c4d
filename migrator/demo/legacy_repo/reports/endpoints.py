"""The Config API, for every report (the other modules import it from here)."""
CONFIG_API = "https://platform.segmentapis.com/v1beta"
WORKSPACE = "acme"
