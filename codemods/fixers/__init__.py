"""The codemods, one per module. Each registers itself by defining its `Fixer` subclass; nothing
lists them: a new module here is a new codemod."""
