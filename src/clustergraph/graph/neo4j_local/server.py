"""A managed Neo4j Community server on the local JDK, built from Neo4j's jars on Maven.

Used when no server is named by NEO4J_URI and no Docker engine answers. The jars are
resolved once into a cache shared by every instance; each instance (the user's, the
test suite's) has its own home with configuration, data, logs and a password file.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable

from clustergraph.errors import OperatorError

# Keep in step with pom.xml, docker-compose.yml and the Dockerfile (a test checks).
NEO4J_VERSION = "5.26.30"
MIN_JAVA = 17
MAX_JAVA = 21  # Neo4j 5.26 supports Java 17 and 21.
LAUNCHER = "org.neo4j.server.startup.Neo4jCommand"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"


class Neo4jLocalError(OperatorError):
    """The managed server could not be set up or started; the message says why and what to do."""


@dataclass(frozen=True)
class LocalServer:
    home: Path
    cache_dir: Path
    bolt_port: int = 7687
    heap: str = "512m"
    pagecache: str = "256m"
    java_home: Path | None = None
    maven_args: tuple[str, ...] = ()  # e.g. ("-s", "mirror-settings.xml") behind a company mirror

    def __post_init__(self) -> None:
        # The server is recognised by the absolute config path on its command line.
        object.__setattr__(self, "home", self.home.expanduser().absolute())

    @property
    def runtime_dir(self) -> Path:
        return self.cache_dir / f"neo4j-{NEO4J_VERSION}"

    @property
    def lib_dir(self) -> Path:
        return self.runtime_dir / "lib"

    @property
    def conf_dir(self) -> Path:
        return self.home / "conf"

    @property
    def password_file(self) -> Path:
        return self.home / "neo4j-password"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "neo4j.log"

    # -- setup -----------------------------------------------------------------

    def java(self) -> Path:
        """The java binary to run Neo4j with, checked for a supported version."""
        candidates: list[Path] = []
        if self.java_home:
            candidates.append(self.java_home / "bin" / "java")
        if os.environ.get("JAVA_HOME"):
            candidates.append(Path(os.environ["JAVA_HOME"]) / "bin" / "java")
        on_path = shutil.which("java")
        if on_path:
            candidates.append(Path(on_path))
        candidates += sorted(Path("/usr/lib/jvm").glob("*/bin/java"))
        seen: list[str] = []
        for java in candidates:
            if not java.exists():
                continue
            version = java_major_version(java)
            seen.append(f"{java} (Java {version})")
            if version is not None and MIN_JAVA <= version <= MAX_JAVA:
                return java
        found = "; found: " + ", ".join(seen) if seen else ""
        raise Neo4jLocalError(
            f"No Java {MIN_JAVA}-{MAX_JAVA} runtime found for Neo4j {NEO4J_VERSION}{found}. "
            "Install one (for instance `apt-get install openjdk-17-jre-headless`) "
            "or point CLUSTERGRAPH_JAVA_HOME at it."
        )

    def ensure_runtime(self) -> None:
        """Resolve Neo4j's jars into the cache, once."""
        marker = self.runtime_dir / ".complete"
        if marker.exists():
            return
        mvn = shutil.which("mvn")
        if not mvn:
            raise Neo4jLocalError(
                "Maven (`mvn`) is needed once to fetch Neo4j's jars: install it "
                "(`apt-get install maven`) or set NEO4J_URI to a running Neo4j."
            )
        staging = self.runtime_dir / "lib.partial"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        with resources.as_file(resources.files("clustergraph.graph.neo4j_local") / "pom.xml") as pom:
            result = subprocess.run(
                [
                    mvn,
                    "-q",
                    "-B",
                    "-f",
                    str(pom),
                    "dependency:copy-dependencies",
                    f"-DoutputDirectory={staging}",
                    "-DincludeScope=runtime",
                    *self.maven_args,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
            raise Neo4jLocalError(
                f"Maven could not fetch Neo4j {NEO4J_VERSION}'s jars (download refused or offline?):\n{tail}"
            )
        shutil.rmtree(self.lib_dir, ignore_errors=True)
        staging.rename(self.lib_dir)
        marker.write_text(NEO4J_VERSION + "\n")

    def write_config(self) -> None:
        for sub in ("conf", "data", "logs", "run", "plugins", "import", "licenses", "certificates"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        settings = {
            "server.default_listen_address": "127.0.0.1",
            "server.default_advertised_address": "127.0.0.1",
            "server.bolt.listen_address": f"127.0.0.1:{self.bolt_port}",
            # What the routing table of a `neo4j://` connection names as reader and writer.
            "server.bolt.advertised_address": f"127.0.0.1:{self.bolt_port}",
            "server.http.enabled": "false",
            "server.https.enabled": "false",
            "server.directories.data": str(self.home / "data"),
            "server.directories.logs": str(self.home / "logs"),
            "server.directories.run": str(self.home / "run"),
            "server.directories.plugins": str(self.home / "plugins"),
            "server.directories.import": str(self.home / "import"),
            "server.directories.licenses": str(self.home / "licenses"),
            "server.memory.heap.initial_size": self.heap,
            "server.memory.heap.max_size": self.heap,
            "server.memory.pagecache.size": self.pagecache,
            "dbms.usage_report.enabled": "false",
            "dbms.security.auth_enabled": "true",
            "db.transaction.timeout": "60s",
            # How often Neo4j looks for transactions past their timeout (2 s by default): a
            # request's database-time budget (db.DbBudget) holds to within this interval.
            "db.transaction.monitor.check.interval": "100ms",
        }
        text = "# Written by clustergraph; edits are overwritten on start.\n" + "".join(
            f"{k}={v}\n" for k, v in settings.items()
        )
        (self.conf_dir / "neo4j.conf").write_text(text)

    def password(self) -> str:
        """The neo4j user's password, generated (and set) before the first start."""
        if self.password_file.exists():
            return self.password_file.read_text().strip()
        if (self.home / "data" / "databases").exists():
            raise Neo4jLocalError(
                f"{self.password_file} is missing but {self.home / 'data'} holds a database: "
                "restore the file or remove the data directory to start afresh."
            )
        password = new_password()
        self._admin("dbms", "set-initial-password", password)
        self.home.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(password + "\n")
        return password

    # -- lifecycle ---------------------------------------------------------------

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    def pid(self) -> int | None:
        """The process id of this home's server while it runs.

        A pid file outlives a crash and its number may be reused by any process, another
        Neo4j included, so the pid counts only when that process was started with this
        home's configuration; a stale file is removed.
        """
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if _runs_with_config(pid, self.conf_dir):
            return pid
        self.pid_file.unlink(missing_ok=True)
        return None

    def bolt_answers(self, timeout: float = 3.0) -> bool:
        try:
            with GraphDatabase.driver(
                self.uri, auth=("neo4j", self.password()), connection_timeout=timeout
            ) as driver:
                driver.verify_connectivity()
            return True
        except (ServiceUnavailable, OSError):
            return False
        except AuthError as error:
            raise Neo4jLocalError(
                f"Neo4j on {self.uri} refused the password in {self.password_file}: {error.message}"
            ) from error

    def start(self, timeout: float = 120.0) -> None:
        """Start the server and wait until Bolt answers."""
        java = self.java()
        self.ensure_runtime()
        self.write_config()
        self.password()
        if self.pid() is not None and self.bolt_answers():
            return
        if self.pid() is None and port_in_use(self.bolt_port):
            raise Neo4jLocalError(
                f"Port {self.bolt_port} is taken by another process: stop it or choose another "
                "port with CLUSTERGRAPH_BOLT_PORT."
            )
        if self.pid() is None:
            result = self._launcher("start", java=java)
            if result.returncode != 0:
                raise Neo4jLocalError(f"Neo4j did not start:\n{_tail(result.stdout + result.stderr)}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.pid() is None:
                raise Neo4jLocalError(f"Neo4j stopped while starting; its log says:\n{self.log_tail()}")
            if self.bolt_answers():
                return
            time.sleep(0.5)
        raise Neo4jLocalError(
            f"Neo4j did not answer on {self.uri} within {timeout:.0f} s; its log says:\n{self.log_tail()}"
        )

    def stop(self, timeout: float = 120.0) -> bool:
        """Stop this home's server; False when none was running.

        The checked pid is signalled directly rather than through the launcher, which
        would trust the pid file alone.
        """
        pid = self.pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _runs_with_config(pid, self.conf_dir):
            if time.monotonic() > deadline:
                raise Neo4jLocalError(
                    f"Neo4j (pid {pid}) did not stop within {timeout:.0f} s; its log says:\n{self.log_tail()}"
                )
            time.sleep(0.2)
        self.pid_file.unlink(missing_ok=True)
        return True

    def log_tail(self, lines: int = 20) -> str:
        for candidate in (self.log_file, self.home / "logs" / "console.log"):
            if candidate.exists():
                return _tail(candidate.read_text(errors="replace"), lines)
        return "(no log written)"

    # -- helpers ---------------------------------------------------------------

    def _env(self, java: Path) -> dict[str, str]:
        env = dict(os.environ)
        env["NEO4J_HOME"] = str(self.runtime_dir)
        env["NEO4J_CONF"] = str(self.conf_dir)
        env["JAVA_HOME"] = str(java.parent.parent)
        return env

    def _java_command(self, java: Path, main_class: str, *args: str) -> list[str]:
        return [str(java), "-cp", f"{self.lib_dir}/*", main_class, *args]

    def _launcher(self, action: str, java: Path | None = None) -> subprocess.CompletedProcess[str]:
        java = java or self.java()
        return subprocess.run(
            self._java_command(java, LAUNCHER, action),
            env=self._env(java),
            capture_output=True,
            text=True,
            check=False,
            timeout=180,
        )

    def _admin(self, *args: str) -> None:
        self.admin(*args)

    def admin(self, *args: str, timeout: float = 180.0) -> str:
        """Run `neo4j-admin ARGS` (the distribution's own tool, from the same jars) on this
        home's configuration; its output, or Neo4jLocalError with the tail of it."""
        java = self.java()
        self.ensure_runtime()
        self.write_config()
        result = subprocess.run(
            self._java_command(java, ADMIN_TOOL, *args),
            env=self._env(java),
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise Neo4jLocalError(f"neo4j-admin {args[0]} failed:\n{_tail(result.stdout + result.stderr)}")
        return result.stdout


def new_password() -> str:
    """A random password for the neo4j user. Hex, because neo4j-admin reads an argument that
    starts with `-` (which URL-safe base64 may) as an option and refuses it."""
    return secrets.token_hex(24)


def java_major_version(java: Path) -> int | None:
    try:
        result = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def _runs_with_config(pid: int, conf_dir: Path) -> bool:
    """Whether process `pid` is alive and is a Neo4j started with `conf_dir`."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False  # another user's process: not ours to manage
    if not Path("/proc/self").exists():
        return True  # no procfs (macOS): the liveness check is all there is
    try:
        # Empty for a zombie: exited, not yet reaped.
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (FileNotFoundError, ProcessLookupError):
        return False
    return any(f"--config-dir={path}".encode() in args for path in {conf_dir, conf_dir.resolve()})


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex((host, port)) == 0


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])
