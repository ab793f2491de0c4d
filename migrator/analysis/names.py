"""What a name says its value is, in a module of its own: the libcst walks read it, and so do the
text passes, which must not import libcst for it."""

import re

BASE_NAME = re.compile(r"(?:^|_)(?:base|root|prefix)(?:_|$)|^(?:base|root)url$", re.IGNORECASE)
"""Names that say they hold a base (`root`, `BASE_URL`, `api_root`, `url_prefix`): the start of
requests, whatever endpoint its path could also name (`.../workspaces/{ws}` is a workspace's GET)."""
