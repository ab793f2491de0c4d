"""libcst codemods that rewrite Config API calls into Public API calls, one module per concern."""
