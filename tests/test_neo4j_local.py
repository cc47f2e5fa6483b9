import os
import re
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from clustergraph.graph.location import GraphLocation
from clustergraph.graph.neo4j_local import NEO4J_VERSION, LocalServer, Neo4jLocalError
from clustergraph.graph.neo4j_local.server import new_password
from clustergraph.paths import PROJECT_ROOT


def test_one_neo4j_version_everywhere() -> None:
    pom = (PROJECT_ROOT / "src/clustergraph/graph/neo4j_local/pom.xml").read_text()
    compose = (PROJECT_ROOT / "docker-compose.yml").read_text()
    assert f"<neo4j.version>{NEO4J_VERSION}</neo4j.version>" in pom
    assert set(re.findall(r"image: neo4j:([\w.-]+)", compose)) == {f"{NEO4J_VERSION}-community"}


def test_password_file_is_readable_by_its_owner_only(local_server: LocalServer | None) -> None:
    if local_server is None:
        pytest.skip("the managed local Neo4j is not in use")
    local_server.password()
    mode = stat.S_IMODE(local_server.password_file.stat().st_mode)
    assert mode == 0o600


def test_start_refuses_a_port_that_another_process_holds(
    tmp_path: Path, local_server: LocalServer | None
) -> None:
    if local_server is None:
        pytest.skip("the managed local Neo4j is not in use")
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        server = LocalServer(home=tmp_path / "home", cache_dir=local_server.cache_dir, bolt_port=port)
        with pytest.raises(Neo4jLocalError, match=f"Port {port} is taken"):
            server.start(timeout=20)


def test_start_names_a_missing_java(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(Path, "glob", lambda self, pattern: iter(()))
    server = LocalServer(home=tmp_path / "home", cache_dir=tmp_path / "cache", java_home=tmp_path / "nojdk")
    with pytest.raises(Neo4jLocalError, match="No Java 17-21 runtime found"):
        server.start(timeout=5)


def test_start_explains_a_refused_download(tmp_path: Path) -> None:
    # Offline, with an empty local repository: Maven cannot get the jars.
    offline = ("-o", f"-Dmaven.repo.local={tmp_path / 'empty-repo'}")
    server = LocalServer(home=tmp_path / "home", cache_dir=tmp_path / "cache", maven_args=offline)
    with pytest.raises(Neo4jLocalError, match="Maven could not fetch Neo4j"):
        server.start(timeout=5)
    assert not (server.runtime_dir / ".complete").exists()


def test_a_stale_pid_file_naming_another_process_is_not_taken_for_the_server(tmp_path: Path) -> None:
    # After a crash the pid in run/neo4j.pid may belong to anything, another Neo4j included.
    bystander = subprocess.Popen(["sleep", "60"])
    try:
        server = LocalServer(home=tmp_path / "home", cache_dir=tmp_path / "cache")
        server.pid_file.parent.mkdir(parents=True)
        server.pid_file.write_text(f"{bystander.pid}\n")
        assert server.pid() is None
        assert not server.pid_file.exists()
        server.pid_file.write_text(f"{bystander.pid}\n")
        assert server.stop() is False
        assert bystander.poll() is None, "stop() signalled a process that is not this home's server"
    finally:
        bystander.kill()
        bystander.wait()


def test_stop_leaves_the_server_of_another_home_running(
    tmp_path: Path, location: GraphLocation, local_server: LocalServer | None
) -> None:
    if local_server is None:
        pytest.skip("the managed local Neo4j is not in use")
    other = LocalServer(
        home=tmp_path / "other", cache_dir=local_server.cache_dir, bolt_port=local_server.bolt_port
    )
    # The suite's server is alive; a home that never started one must not reach it.
    other.pid_file.parent.mkdir(parents=True)
    other.pid_file.write_text(f"{local_server.pid()}\n")
    assert other.stop() is False
    assert local_server.pid() is not None and local_server.bolt_answers()


def test_cli_stop_says_when_nothing_ran(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CLUSTERGRAPH_HOME": str(tmp_path / "nothing-here"),
        "CLUSTERGRAPH_BOLT_PORT": "17999",
    }
    env.pop("NEO4J_URI", None)
    env["CLUSTERGRAPH_USE_DOCKER"] = "never"
    result = subprocess.run(
        [str(Path(sys.executable).with_name("clustergraph")), "neo4j", "stop"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "No Neo4j was running" in result.stdout and str(tmp_path / "nothing-here") in result.stdout


def test_a_new_password_is_never_taken_for_an_option() -> None:
    # neo4j-admin refuses `set-initial-password -abc…`: one fresh home in 64 failed to start.
    passwords = {new_password() for _ in range(2000)}
    assert len(passwords) == 2000
    assert not any(p.startswith("-") for p in passwords)
    assert all(len(p) >= 32 for p in passwords)
