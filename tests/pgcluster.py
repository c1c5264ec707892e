"""A private, throwaway PostgreSQL server for tests and benchmarks: ``initdb`` into a temporary
folder, ``pg_ctl start`` with a unix socket in that folder and no TCP port, stopped at the end.

Needs Debian's PostgreSQL binaries (``initdb``, ``pg_ctl``, ``createdb``; on PATH or under
/usr/lib/postgresql/*/bin). Runs as the current user; as root (a CI container) the server runs as
the ``postgres`` user (or ``nobody``), since PostgreSQL refuses to run as root.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid


class PostgresMissing(RuntimeError):
    pass


def find_bin(name: str) -> str | None:
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(d, name)):
            return os.path.join(d, name)
    return shutil.which(name)


class Cluster:
    """``with Cluster() as c: url = c.new_database()``"""

    def __init__(self):
        self.dir = None
        self.user = None

    def _as_owner(self) -> list[str]:
        if os.geteuid() != 0:
            return []
        for name in ("postgres", "nobody"):
            try:
                pw = pwd.getpwnam(name)
            except KeyError:
                continue
            self.user = pw
            return ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--clear-groups", "--"]
        raise PostgresMissing("running as root and no 'postgres' or 'nobody' user to run PostgreSQL as")

    def start(self) -> "Cluster":
        initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
        if not (initdb and pg_ctl):
            raise PostgresMissing("PostgreSQL's initdb/pg_ctl not found (apt-get install postgresql)")
        prefix = self._as_owner()
        self.dir = tempfile.mkdtemp(prefix="ca_pg_")
        if self.user is not None:
            os.chown(self.dir, self.user.pw_uid, self.user.pw_gid)
        data = os.path.join(self.dir, "data")
        env = {**os.environ, "LC_ALL": "C"}
        subprocess.run(prefix + [initdb, "-D", data, "-A", "trust", "-U", "postgres", "--no-locale", "-E", "UTF8"],
                       check=True, capture_output=True, env=env)
        opts = f"-k {self.dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c max_connections=200"
        subprocess.run(prefix + [pg_ctl, "-D", data, "-o", opts, "-l", os.path.join(self.dir, "log"), "-w", "start"],
                       check=True, capture_output=True, env=env)
        self._pg_ctl, self._prefix, self._data = pg_ctl, prefix, data
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@/{dbname}?host={self.dir}"

    def new_database(self) -> str:
        """A fresh empty database; its URL."""
        import psycopg
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        import psycopg
        name = url.rsplit("/", 1)[1].split("?")[0]
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.dir is None:
            return
        subprocess.run(self._prefix + [self._pg_ctl, "-D", self._data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
