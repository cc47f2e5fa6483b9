import re
import socket
import stat
from pathlib import Path

import pytest

from clustergraph.neo4j_local import NEO4J_VERSION, LocalServer, Neo4jLocalError
from clustergraph.paths import PROJECT_ROOT


def test_one_neo4j_version_everywhere() -> None:
    pom = (PROJECT_ROOT / "src/clustergraph/neo4j_local/pom.xml").read_text()
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
