"""Migrations stay cheap on a big database: a batch on SQLite copies the table and, when it
drops the old one, checks every foreign key that points at it — minutes for a million
requests (0022 once took over ten minutes on the bench data; a plain ADD COLUMN takes
milliseconds). From 0022 on, no upgrade batches a table that large tables point at."""

from __future__ import annotations

import ast
from pathlib import Path

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"
POINTED_AT = {"user_account", "department", "service", "service_request", "recognition"}
FIRST_CHECKED = 22


def _batched_tables(source: str) -> set[str]:
    tree = ast.parse(source)
    upgrade = next(
        node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "upgrade"
    )
    return {
        call.args[0].value
        for call in ast.walk(upgrade)
        if isinstance(call, ast.Call)
        and getattr(call.func, "attr", "") == "batch_alter_table"
        and call.args
        and isinstance(call.args[0], ast.Constant)
    }


def test_no_new_migration_batches_a_table_big_tables_point_at():
    offenders = {
        path.name: sorted(_batched_tables(path.read_text()) & POINTED_AT)
        for path in sorted(VERSIONS.glob("0*.py"))
        if int(path.name[:4]) >= FIRST_CHECKED
    }
    assert not {name: tables for name, tables in offenders.items() if tables}


def test_the_check_sees_a_batch():
    source = 'def upgrade():\n    with op.batch_alter_table("user_account") as b:\n        pass\n'
    assert _batched_tables(source) == {"user_account"}
