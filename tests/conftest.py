"""Run the store, merge, export and API suites against every database backend.

A module opts in with ``pytestmark = pytest.mark.usefixtures("backend")``: each of its tests then
runs once on SQLite and once on PostgreSQL. On PostgreSQL every database the test opens by a
SQLite name (``Store(":memory:")``, ``Store(tmp_path / "e.db")``, ``--db e.db``) is a fresh
database on a private server (started once per session in a temporary folder, see
``tests/pgcluster.py``): ``:memory:`` gives a new database each time, a file path the same one
for the whole test (an empty file stands at the path, so "does the database exist" checks hold).
A test about SQLite itself (its files, pragmas, the write-ahead log, a subprocess with a path)
carries ``@pytest.mark.sqlite_only``.

PostgreSQL missing (no ``initdb``/``pg_ctl``): the PostgreSQL runs FAIL with a message saying
how to install it. Set ``CONFLICTATLAS_TEST_PG=0`` to run the SQLite half only (a developer
machine without PostgreSQL); CI never sets it.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ENV_TEST_PG = "CONFLICTATLAS_TEST_PG"


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: a test about SQLite itself (files, pragmas, WAL)")


def _backends() -> list[str]:
    return ["sqlite"] if os.environ.get(ENV_TEST_PG) == "0" else ["sqlite", "postgresql"]


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("sqlite_only")
        metafunc.parametrize("backend", ["sqlite"] if only else _backends(), indirect=True)


@pytest.fixture(scope="session")
def pg_cluster():
    from pgcluster import Cluster, PostgresMissing
    try:
        cluster = Cluster().start()
    except (PostgresMissing, OSError) as exc:
        pytest.fail(f"PostgreSQL is needed for the PostgreSQL half of the store tests: {exc}. "
                    f"Install it (apt-get install postgresql) or set {ENV_TEST_PG}=0 to test SQLite only.",
                    pytrace=False)
    yield cluster
    cluster.stop()


@pytest.fixture
def backend(request, monkeypatch):
    """"sqlite" or "postgresql"; on PostgreSQL, SQLite names open fresh PostgreSQL databases."""
    if request.param == "sqlite":
        yield "sqlite"
        return
    cluster = request.getfixturevalue("pg_cluster")
    from conflictatlas import store as store_module
    from conflictatlas.storage import is_postgres, open_database
    made: dict[str, str] = {}
    urls: list[str] = []

    def to_postgres(target, migrations=None):
        target = str(target)
        if is_postgres(target):
            return open_database(target, migrations)
        if target == ":memory:":
            url = cluster.new_database()
        else:
            path = str(Path(target).expanduser().resolve())
            if path not in made:
                made[path] = cluster.new_database()
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                Path(path).touch()
            url = made[path]
        urls.append(url)
        return open_database(url, migrations)

    monkeypatch.setattr(store_module, "open_database", to_postgres)
    yield "postgresql"
    for url in set(urls):
        try:
            cluster.drop_database(url)
        except Exception:          # noqa: BLE001 (a connection still open in a thread: dropped with FORCE anyway)
            pass
