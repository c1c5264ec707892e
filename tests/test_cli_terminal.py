"""The CLI where users run it: under a pseudo-terminal (stdout and stderr are a terminal), where
the progress bar and the table are on. Pipes in the other tests never show these paths."""
from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_in_terminal(*args, timeout: float = 120.0) -> tuple[int, str]:
    """Run `python -m conflictatlas ARGS` with stdin, stdout and stderr on a pseudo-terminal;
    returns (exit status, everything the terminal showed)."""
    main, child = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    proc = subprocess.Popen([sys.executable, "-m", "conflictatlas", *args], stdin=child, stdout=child,
                            stderr=child, env=env, cwd=ROOT, close_fds=True)
    os.close(child)
    shown = b""
    while True:
        ready, _, _ = select.select([main], [], [], timeout)
        if not ready:
            proc.kill()
            raise AssertionError("no output for %s s: %r" % (timeout, shown[-2000:]))
        try:
            chunk = os.read(main, 65536)
        except OSError:            # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    return proc.wait(timeout=timeout), shown.decode("utf-8", "replace")


def test_extract_to_a_file_on_a_terminal_writes_every_report(tmp_path):
    out = tmp_path / "out.jsonl"
    rc, shown = run_in_terminal("extract", str(ROOT / "examples" / "reports"), "-o", str(out))
    assert rc == 0, shown
    assert "Traceback" not in shown and "TypeError" not in shown
    assert len(out.read_text().splitlines()) == 11
    assert all(json.loads(line)["id"] for line in out.read_text().splitlines())
    assert "11 reports" in shown


def test_extract_table_on_a_terminal(tmp_path):
    rc, shown = run_in_terminal("extract", str(ROOT / "examples" / "reports" / "hamrin-army-statement.txt"))
    assert rc == 0, shown
    assert "Traceback" not in shown
    assert "== hamrin-army-statement" in shown and "1 reports" in shown


def test_ingest_on_a_terminal(tmp_path):
    db = tmp_path / "t.db"
    rc, shown = run_in_terminal("ingest", str(ROOT / "examples" / "reports"), "--db", str(db))
    assert rc == 0, shown
    assert "Traceback" not in shown and "11 articles read" in shown
