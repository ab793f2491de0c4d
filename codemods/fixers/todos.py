"""`# TODO(migrate): ...` above every statement holding a call that could not be proven safe to
rewrite. The call keeps working as it was; `migrate scan` reports the marker. A marker already
there is not added again."""

from __future__ import annotations

import libcst as cst

from ..base import TODO_PREFIX, Case, Fixer, Stage


class TodoFixer(Fixer):
    name = "todos"
    description = "precise TODO(migrate) comments where a rewrite could not be proven safe"
    stage = Stage.NOTES

    cases = (
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"

            if __name__ == "__main__":
                requests.post(f"{API}/workspaces/acme/regulations", json=regulation()).raise_for_status()
            """,
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"

            if __name__ == "__main__":
                # TODO(migrate): the body is not a dict literal; the Public call is POST /regulations
                requests.post(f"{API}/workspaces/acme/regulations", json=regulation()).raise_for_status()
            """,
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"

            if __name__ == "__main__":
                # TODO(migrate): the body is not a dict literal; the Public call is POST /regulations
                requests.post(f"{API}/workspaces/acme/regulations", json=regulation()).raise_for_status()
            """,
            why="the TODO is there already",
        ),
    )

    def leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:
        notes = self.context.todos.get(id(original))
        if not notes or not isinstance(updated, cst.SimpleStatementLine | cst.BaseCompoundStatement):
            return updated
        existing = {line.comment.value for line in updated.leading_lines if line.comment is not None}
        indent_lines = list(updated.leading_lines)
        added = 0
        for note in notes:
            comment = TODO_PREFIX + note
            if comment in existing:
                continue
            indent_lines.append(cst.EmptyLine(comment=cst.Comment(comment)))
            added += 1
        if not added:
            return updated
        self.changed(added)
        return updated.with_changes(leading_lines=indent_lines)
