"""Cases that live somewhere: the store (SQLite by default, PostgreSQL when shared).

The data flow, one module per arrow::

    case.toml ──(case.py + contacts/log.py validate)──▶ document.py ──▶ sql.py ──▶ tables
        ▲                                               (key ↔ column)   (or fake.py)
        └──────────────── toml_text.py ◀── document.py ◀── repository.py (the port)

- :mod:`~arrears.store.location` — which database: ``--db``, ``$ARREARS_DATABASE_URL`` or a
  SQLite file in the user data folder (light: no SQLAlchemy import).
- :mod:`~arrears.store.columns` — exact money on both engines (fen on SQLite, ``Numeric(18,2)``
  on PostgreSQL).
- :mod:`~arrears.store.schema` — the tables (SQLAlchemy 2 typed ORM), append-only rows.
- :mod:`~arrears.store.document` — a case file's keys ↔ columns; anything else kept verbatim.
- :mod:`~arrears.store.repository` — the port (:class:`CaseRepository`) and its rules;
  :mod:`~arrears.store.fake` the in-memory adapter, :mod:`~arrears.store.sql` the database one.
- :mod:`~arrears.store.database` — engines, Alembic migrations run from the package.
- :mod:`~arrears.store.ref` — ``@ID`` in place of a case file.
- :mod:`~arrears.store.accounts` — users, roles, argon2 password hashes.

Nothing here is imported by ``arrears --help``; see ``docs/store.md``.
"""
