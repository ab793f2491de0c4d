"""The mark for a part of a string whose value the code does not tell, in a module of its own: the
text scanner reads it too, and must not import libcst for it."""

HOLE = "\x00"
