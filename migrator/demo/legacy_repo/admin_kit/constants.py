"""Where the Config API lives (the other modules import it from here)."""
SEGMENT_HOST = "https://platform.segmentapis.com"
API_VERSION = "v1beta"
DEFAULT_PAGE_SIZE = 50
