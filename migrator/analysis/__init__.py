"""Reading Python with libcst, shared by `migrate scan` and `migrate apply`: read-only walks
(`visitor`), literal values (`literals`), one parse per text (`parsing`), what a module binds scope
by scope (`bindings`), the text string expressions evaluate to (`strings`), and where a node stands
in its file (`node_text`). Nothing here knows the Segment APIs; the scanner and the codemods build on
it, and it imports neither."""
