"""The embedded SQLite database answers an out-of-range integer as PostgreSQL does.

Python's sqlite3 cannot bind an integer beyond 64 bits and raises OverflowError, so a primary key
of 25 digits in a form or a URL ended as a server error on SQLite, where PostgreSQL finds no row.
Bound as text instead, SQLite compares it with the integer column as a number and matches none.
"""

import sqlite3

INT64 = range(-(2**63), 2**63)


def _integer(value: int) -> int | str:
    return value if value in INT64 else str(value)


def register() -> None:
    sqlite3.register_adapter(int, _integer)
