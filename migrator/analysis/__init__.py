"""Reading Python with libcst, shared by `migrate scan` and `migrate apply`: read-only walks, literal
values, one parse per text, and where a node stands in its file. Nothing here knows the Segment APIs;
the scanner and the codemods build on it, and it imports neither."""
