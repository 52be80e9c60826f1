"""Check: a material against its schema and the rules -> Diagnostics.

Entry point: `check(material, type_name=, stage=, today=)` (and `check_inputs` for many paths at
once, in parallel). Inside: `run` (the checker), `rules/` (one module per rule family, the
registry that documents them), `secrecy` (classified marks: stop every build and import),
`ciformat` (JSON, GitLab code quality and SARIF output). May import the floor, `read`, `schema`,
`numbering` and `ledger`; never `export`, `intake`, `similar`, `site`, `review` or `cli`.
"""

from .run import check, check_inputs, expand_inputs, resolve_schema, worst

__all__ = ["check", "check_inputs", "expand_inputs", "resolve_schema", "worst"]
