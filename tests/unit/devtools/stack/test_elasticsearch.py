"""streams.devtools.stack.elasticsearch: the node's ports, user, command line, environment and unpacking."""

from __future__ import annotations

import pwd
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from streams.devtools.stack import StackConfig, StackError
from streams.devtools.stack.config import render_elasticsearch_settings
from streams.devtools.stack.elasticsearch import ElasticsearchService, _unpack

MakeConfig = Callable[..., StackConfig]
NOBODY = pwd.struct_passwd(("khabar-search", "x", 4242, 4343, "", "/nonexistent", "/usr/sbin/nologin"))


def _as_root(monkeypatch: pytest.MonkeyPatch, user: pwd.struct_passwd | None) -> None:
    monkeypatch.setattr("os.geteuid", lambda: 0)

    def getpwnam(name: str) -> pwd.struct_passwd:
        if user is None or name != user.pw_name:
            raise KeyError(name)
        return user

    monkeypatch.setattr("pwd.getpwnam", getpwnam)


def test_ports_and_version(make_config: MakeConfig) -> None:
    """HTTP on the search port (transport on the first free port of a range), version from the config."""
    config = make_config(engine="elasticsearch")
    service = ElasticsearchService(config)
    assert service.ports == (config.search_port,)
    assert service.version == "8.19.21" and service.min_java == 17


def test_root_runs_the_node_as_the_unprivileged_user(make_config: MakeConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root the launcher goes through setpriv with the user's uid and gid."""
    _as_root(monkeypatch, NOBODY)
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")
    service = ElasticsearchService(make_config(engine="elasticsearch"))
    assert service.command("java") == ["/usr/bin/setpriv", "--reuid=4242", "--regid=4343", "--init-groups", "--",
                                       str(service.dist / "bin" / "elasticsearch")]


def test_root_creates_the_default_user_once(make_config: MakeConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    """No khabar-search yet: a root stack creates it as a system user without a home or a shell."""
    _as_root(monkeypatch, None)
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/sbin/{name}")
    ran: list[list[str]] = []

    def useradd(argv: list[str], what: str) -> str:
        ran.append(argv)
        _as_root(monkeypatch, NOBODY)  # from now on the user exists
        return ""

    monkeypatch.setattr("streams.devtools.stack.elasticsearch.run_tool", useradd)
    service = ElasticsearchService(make_config(engine="elasticsearch"))
    service._ensure_default_user()
    service._ensure_default_user()
    assert ran == [["/usr/sbin/useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                    "khabar-search"]]


def test_root_needs_a_state_dir_the_user_may_enter(make_config: MakeConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    """A state directory under a folder others may not enter (pytest's own is 700) is refused, naming it."""
    _as_root(monkeypatch, NOBODY)
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")
    config = make_config(engine="elasticsearch")
    config.root.mkdir(parents=True)
    with pytest.raises(StackError, match=r"runs as khabar-search, who cannot enter .* \(mode 700\): use a "
                                         "KHABAR_STACK_DIR others may enter"):
        ElasticsearchService(config).preflight()


def test_root_without_a_named_user_names_the_fix(make_config: MakeConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user named by KHABAR_STACK_SEARCH_USER is never created: a one-line error says what to do."""
    _as_root(monkeypatch, None)
    monkeypatch.setattr("streams.devtools.stack.elasticsearch.run_tool", pytest.fail)
    with pytest.raises(StackError, match=r"refuses to run as root and there is no user 'es-runner' .*useradd "
                                         r"--system --no-create-home es-runner.* KHABAR_STACK_SEARCH_USER"):
        ElasticsearchService(make_config(engine="elasticsearch", search_user="es-runner")).preflight()


def test_a_state_dir_with_spaces_is_refused(tmp_path: Path) -> None:
    """The launcher splits its JVM options at spaces, and the markers carry the state directory."""
    config = StackConfig(root=tmp_path / "my stack", kafka_port=19092, controller_port=19093, search_port=19200)
    with pytest.raises(StackError, match="without spaces"):
        ElasticsearchService(config).preflight()


def test_environment(make_config: MakeConfig, tmp_path: Path) -> None:
    """Heap, markers, config/tmp paths and the JDK for the launcher; no JAVA_HOME to warn about."""
    config = make_config(engine="elasticsearch", java_home=tmp_path / "jdk")
    service = ElasticsearchService(config)
    env = service.environment("java", {"PATH": "/usr/bin", "JAVA_HOME": "/elsewhere", "ES_JAVA_OPTS": "-Xmx9g"})
    assert "JAVA_HOME" not in env and env["PATH"] == "/usr/bin"
    assert env["ES_JAVA_HOME"] == str(tmp_path / "jdk")
    assert env["ES_PATH_CONF"] == str(config.root / "elasticsearch" / "config")
    assert env["ES_TMPDIR"] == str(config.root / "elasticsearch" / "tmp")
    markers = " ".join(service.markers())
    assert env["ES_JAVA_OPTS"] == f"-Xms512m -Xmx512m {markers}"
    assert env["CLI_JAVA_OPTS"] == markers


def test_fetched_follows_the_plugin_sources(make_config: MakeConfig, tmp_path: Path) -> None:
    """The unpacked distribution counts as fetched only for the current pom and plugin sources."""
    deploy = tmp_path / "deploy"
    plugin = deploy / "elasticsearch" / "plugin"
    (plugin / "src").mkdir(parents=True)
    (deploy / "elasticsearch" / "pom.xml").write_text("<project/>")
    (plugin / "plugin-descriptor.properties.template").write_text("name=khabar-analysis\n")
    source = plugin / "src" / "Filters.java"
    source.write_text("class Filters {}")
    service = ElasticsearchService(make_config(engine="elasticsearch", deploy_dir=deploy))
    assert not service.fetched()
    service.dist.mkdir(parents=True)
    (service.dist / ".khabar-version").write_text(service.dist_stamp() + "\n")
    assert service.fetched()
    source.write_text("class Filters { int changed; }")
    assert not service.fetched()


def test_render_elasticsearch_settings(make_config: MakeConfig, tmp_path: Path) -> None:
    """Loopback, single node, our ports and paths, security off for the local node only."""
    config = make_config(engine="elasticsearch")
    text = render_elasticsearch_settings(config, tmp_path / "data", tmp_path / "logs")
    for line in ("cluster.name: khabar-local", "network.host: 127.0.0.1", f"http.port: {config.search_port}",
                 f"transport.port: {config.transport_ports}", "discovery.type: single-node",
                 "xpack.security.enabled: false", f"path.data: {tmp_path / 'data'}"):
        assert line in text.splitlines()


def test_unpack_drops_the_top_folder_and_keeps_modes(tmp_path: Path) -> None:
    """bin/ stays executable: the launcher is a script."""
    archive = tmp_path / "dist.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        info = zipfile.ZipInfo("elasticsearch-8.19.21/bin/elasticsearch")
        info.external_attr = (stat.S_IFREG | 0o755) << 16
        zipped.writestr(info, "#!/bin/bash\n")
        zipped.writestr("elasticsearch-8.19.21/lib/a.jar", b"jar")
    _unpack(archive, tmp_path / "dist")
    launcher = tmp_path / "dist" / "bin" / "elasticsearch"
    assert stat.S_IMODE(launcher.stat().st_mode) == 0o755
    assert (tmp_path / "dist" / "lib" / "a.jar").read_bytes() == b"jar"


def test_unpack_refuses_paths_out_of_the_folder(tmp_path: Path) -> None:
    """An archive entry climbing out of the target is refused, not written."""
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("elasticsearch-8.19.21/../../escaped", b"x")
    with pytest.raises(StackError, match="unsafe path"):
        _unpack(archive, tmp_path / "dist" / "inner")
    assert not (tmp_path / "escaped").exists()
