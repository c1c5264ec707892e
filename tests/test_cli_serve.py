"""`conflictatlas serve` refuses what it cannot serve before it says it is serving."""
from __future__ import annotations

import socket
import subprocess
import sys

import pytest

pytest.importorskip("uvicorn", reason="serve needs the 'server' extra")


def run(*args, timeout=60):
    return subprocess.run([sys.executable, "-m", "conflictatlas", *args], capture_output=True, text=True,
                          timeout=timeout)


def test_serve_refuses_a_missing_database_and_creates_nothing(tmp_path):
    db = tmp_path / "nosuch.db"
    r = run("serve", "--db", str(db), "--port", "0")
    assert r.returncode == 1
    assert "E056" in r.stderr and "--create" in r.stderr and "serving" not in r.stderr
    assert not db.exists() and not list(tmp_path.iterdir())


def test_serve_on_a_busy_port_says_so_before_serving(tmp_path):
    from conflictatlas.store import Store
    db = tmp_path / "e.db"
    Store(db).close()
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        r = run("serve", "--db", str(db), "--port", str(port))
    finally:
        busy.close()
    assert r.returncode == 1
    assert "serving" not in r.stderr and str(port) in r.stderr and "E055" in r.stderr
