"""A real Postgres for tests: Debian's postgresql binaries, a cluster initdb'd in a temp dir, on loopback."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import free_port


def binaries() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


class Postgres:
    """One cluster: `start()`, `stop()` (the database going away) and `start()` again on the same port."""

    def __init__(self):
        self.bin = binaries()
        if self.bin is None:
            pytest.skip("Postgres binaries are absent (/usr/lib/postgresql/*/bin): apt-get install -y postgresql")
        self.root = Path(tempfile.mkdtemp(prefix="advisor-pg-"))
        self.data, self.sockets, self.log = self.root / "data", self.root / "sock", self.root / "postgres.log"
        self.sockets.mkdir()
        self.port = free_port()
        self.url = f"postgresql://advisor@127.0.0.1:{self.port}/postgres"
        self._user = None
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root: use the package's own user
            try:
                self._user = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no 'postgres' user to run the server as")
            for path in (self.root, self.sockets):
                os.chown(path, self._user.pw_uid, self._user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "advisor", "-A", "trust", "-E", "UTF8", "--no-sync")

    def _demote(self):
        if self._user is not None:
            os.setgid(self._user.pw_gid)
            os.setuid(self._user.pw_uid)

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run([str(self.bin / tool), *args], check=False, capture_output=True, text=True,
                              preexec_fn=self._demote, cwd=self.root, timeout=300)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stdout}{done.stderr}\n{log}")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "120", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "120", "stop")

    def close(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
