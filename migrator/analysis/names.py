"""What a name says its value is, in a module of its own: the libcst walks read it, and so do the
text passes, which must not import libcst for it."""

import re

BASE_NAME = re.compile(r"(?:^|_)(?:base|root|prefix)(?:_|$)|^(?:base|root)url$", re.IGNORECASE)
"""Names that say they hold a base (`root`, `BASE_URL`, `api_root`, `url_prefix`): the start of
requests, whatever endpoint its path could also name (`.../workspaces/{ws}` is a workspace's GET)."""

URL_NAME = re.compile(r"url|host|base|api|endpoint|server", re.IGNORECASE)
"""Names that say they hold a URL or a host (`api_host`, `endpoint`, `self.base_url`), looser than
`BASE_NAME`: a value of one put before a path is a base of its own (another API's, or one already
moved), not a segment of a path a client joins to its base."""
