"""The stack's Elasticsearch: a single node of the distribution Maven Central serves, plus Khabar's analysis plugin.

That distribution (the one Elasticsearch builds for its integration tests) is minimal: it lacks the
analysis-common module, so the ``mapping`` char filter and the ``decimal_digit``,
``arabic_normalization`` and ``persian_normalization`` filters the index template uses are missing.
``fetch`` compiles a small plugin that supplies them (``deploy/local/elasticsearch/plugin``) against
the distribution's own jars, so the template reaches this node byte for byte as production gets it.

Elasticsearch refuses to run as root: a root stack starts it through ``setpriv`` as an unprivileged
user that owns its config, data, logs and temporary directories: ``khabar-search``, created as a
system user on first use, or an existing one named by ``KHABAR_STACK_SEARCH_USER``. The pid the
stack keeps is the launcher's; it stops the node on SIGTERM, and the node exits when the launcher dies.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pwd
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from string import Template

from streams.devtools.stack.config import SEARCH_CLUSTER_NAME, SEARCH_USER, render_elasticsearch_settings
from streams.devtools.stack.errors import StackError
from streams.devtools.stack.processes import write_atomic
from streams.devtools.stack.service import VERSION_MARKER, Probe, Service
from streams.devtools.stack.tools import find_tool, run_tool

__all__ = ["ElasticsearchService"]

log = logging.getLogger(__name__)

_PLUGIN = "khabar-analysis"


class ElasticsearchService(Service):
    """Single Elasticsearch node from the integ-test-zip distribution, with the khabar-analysis plugin."""

    name = "elasticsearch"
    pom_property = "elasticsearch.version"

    @property
    def port(self) -> int:
        return self.config.search_port

    @property
    def ports(self) -> tuple[int, ...]:
        return (self.config.search_port,)  # the transport port is the first free one of a range

    @property
    def version(self) -> str:
        return self.config.elasticsearch_version

    @property
    def min_java(self) -> int:
        return 17

    @property
    def dist(self) -> Path:
        return self.home / "dist"

    @property
    def config_dir(self) -> Path:
        return self.home / "config"

    def _own_dirs(self) -> tuple[Path, ...]:
        """What the node writes: owned by the user it runs as."""
        return (self.config_dir, self.home / "data", self.home / "logs", self.home / "tmp")

    @property
    def _plugin_dir(self) -> Path:
        return self.config.deploy_dir / "elasticsearch" / "plugin"

    def _plugin_sources(self) -> list[Path]:
        return sorted((self._plugin_dir / "src").rglob("*.java"))

    def dist_stamp(self) -> str:
        """Names what dist/ must hold: the distribution's version and pom, and the plugin's sources."""
        digest = hashlib.sha256()
        for source in [*self._plugin_sources(), self._plugin_dir / "plugin-descriptor.properties.template"]:
            digest.update(source.read_bytes())
        return f"{self.jars_stamp()} {digest.hexdigest()[:16]}"

    def fetched(self) -> bool:
        """The distribution unpacked and the plugin built from its current sources."""
        marker = self.dist / VERSION_MARKER
        return marker.is_file() and marker.read_text(encoding="utf-8").strip() == self.dist_stamp()

    def fetch(self, mvn: str, javac: str) -> None:
        if self.fetched():
            return
        self.copy_jars(mvn)
        archives = sorted(self.lib.glob("elasticsearch-*.zip"))
        if not archives:
            shutil.rmtree(self.lib, ignore_errors=True)  # unpacked before and removed: fetch it again
            self.copy_jars(mvn)
            archives = sorted(self.lib.glob("elasticsearch-*.zip"))
        shutil.rmtree(self.dist, ignore_errors=True)
        _unpack(archives[-1], self.dist)
        self._build_plugin(javac)
        for archive in archives:  # unpacked: Maven's local repository keeps a copy
            archive.unlink()
        (self.dist / VERSION_MARKER).write_text(self.dist_stamp() + "\n", encoding="utf-8")

    def _build_plugin(self, javac: str) -> None:
        target = self.dist / "plugins" / _PLUGIN
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="khabar-plugin-") as classes:
            run_tool([javac, "-nowarn", "-d", classes, "-cp", str(self.dist / "lib" / "*"),
                      *map(str, self._plugin_sources())], "compiling the khabar-analysis plugin")
            with zipfile.ZipFile(target / f"{_PLUGIN}.jar", "w", zipfile.ZIP_DEFLATED) as jar:
                for path in sorted(Path(classes).rglob("*.class")):
                    jar.write(path, path.relative_to(classes).as_posix())
        descriptor = (self._plugin_dir / "plugin-descriptor.properties.template").read_text(encoding="utf-8")
        (target / "plugin-descriptor.properties").write_text(
            Template(descriptor).substitute(elasticsearch_version=self.version), encoding="utf-8")

    # ---- running as an unprivileged user -----------------------------------------------------

    def _run_as(self) -> pwd.struct_passwd | None:
        """The user the node runs as when the stack runs as root (None: the stack's own user)."""
        if os.geteuid() != 0:
            return None
        try:
            return pwd.getpwnam(self.config.search_user)
        except KeyError:
            raise StackError(
                f"Elasticsearch refuses to run as root and there is no user {self.config.search_user!r} to run it "
                f"as: create one (useradd --system --no-create-home {self.config.search_user}) or set "
                "KHABAR_STACK_SEARCH_USER to an unprivileged user") from None

    def _ensure_default_user(self) -> None:
        """A root stack creates its default user once; a user named by KHABAR_STACK_SEARCH_USER must exist."""
        if os.geteuid() != 0 or self.config.search_user != SEARCH_USER:
            return
        try:
            pwd.getpwnam(SEARCH_USER)
            return
        except KeyError:
            pass
        useradd = shutil.which("useradd")
        if useradd is not None:
            log.info("creating the system user %s: Elasticsearch refuses to run as root", SEARCH_USER)
            run_tool([useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SEARCH_USER],
                     f"creating the system user {SEARCH_USER}")

    def preflight(self) -> None:
        if any(ch.isspace() for ch in str(self.config.root)):
            raise StackError(f"the Elasticsearch launcher splits its options at spaces: use a KHABAR_STACK_DIR "
                             f"without spaces (not {self.config.root})")
        self._ensure_default_user()
        user = self._run_as()
        if user is None:
            return
        find_tool("setpriv", "setpriv not found on PATH; install util-linux (it runs Elasticsearch as "
                             f"{user.pw_name}, since Elasticsearch refuses root)")
        for directory in [d for d in (self.config.root, *self.config.root.parents) if d.exists()]:
            info = directory.stat()
            mode = info.st_mode
            if info.st_uid != user.pw_uid and not mode & stat.S_IXOTH:
                raise StackError(f"Elasticsearch runs as {user.pw_name}, who cannot enter {directory} "
                                 f"(mode {stat.S_IMODE(mode):o}): use a KHABAR_STACK_DIR others may enter")

    def prepare(self, java: str) -> None:
        """Config files (the distribution's, then ours on every start) and directories owned by the node's user."""
        for directory in self._own_dirs():
            directory.mkdir(parents=True, exist_ok=True)
        for source in (self.dist / "config").iterdir():
            target = self.config_dir / source.name
            if not target.exists():
                (shutil.copytree if source.is_dir() else shutil.copy2)(source, target)
        write_atomic(self.config_dir / "elasticsearch.yml",
                     render_elasticsearch_settings(self.config, self.home / "data", self.home / "logs"))
        log4j = (self.config.deploy_dir / "elasticsearch" / "log4j2.properties").read_text(encoding="utf-8")
        write_atomic(self.config_dir / "log4j2.properties", log4j)
        user = self._run_as()
        if user is not None:
            for directory in self._own_dirs():
                _chown_tree(directory, user.pw_uid, user.pw_gid)

    def command(self, java: str) -> list[str]:
        launcher = [str(self.dist / "bin" / "elasticsearch")]
        user = self._run_as()
        if user is None:
            return launcher
        setpriv = find_tool("setpriv", "setpriv not found on PATH; install util-linux")
        return [setpriv, f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups", "--", *launcher]

    def environment(self, java: str, base: Mapping[str, str]) -> dict[str, str]:
        env = {key: value for key, value in base.items() if key not in ("JAVA_HOME", "ES_JAVA_OPTS", "CLI_JAVA_OPTS")}
        heap = self.config.elasticsearch_heap
        markers = " ".join(self.markers())
        env.update(
            ES_JAVA_HOME=str(self.config.java_home or _java_home(java)),
            ES_PATH_CONF=str(self.config_dir),
            ES_TMPDIR=str(self.home / "tmp"),
            ES_JAVA_OPTS=f"-Xms{heap} -Xmx{heap} {markers}",
            CLI_JAVA_OPTS=markers,  # the launcher's JVM, whose pid the stack keeps, carries the markers too
        )
        return env

    # ---- health ------------------------------------------------------------------------------

    def _get(self, path: str) -> tuple[dict[str, object], str]:
        with urllib.request.urlopen(f"{self.config.search_url}{path}", timeout=2.0) as response:
            payload: dict[str, object] = json.load(response)
            return payload, response.headers.get("X-Elastic-Product", "")

    def probe(self) -> Probe:
        try:
            health, product = self._get("/_cluster/health")
            nodes, _ = self._get("/_nodes/_local?filter_path=nodes.*.version")
        except (OSError, ValueError, urllib.error.URLError) as exc:
            return Probe(False, f"no answer on {self.config.search_url}: {exc}")
        if product != "Elasticsearch" or health.get("cluster_name") != SEARCH_CLUSTER_NAME:
            return Probe(False, f"{self.config.search_url} serves another cluster ({health.get('cluster_name')})")
        found = nodes.get("nodes")
        version = next((str(n.get("version")) for n in found.values() if isinstance(n, dict)), None) \
            if isinstance(found, dict) else None
        status = str(health.get("status"))
        return Probe(status in ("yellow", "green"), f"cluster {SEARCH_CLUSTER_NAME} is {status}", version)


def _java_home(java: str) -> Path:
    """The JDK a java executable belongs to (…/bin/java → …)."""
    return Path(shutil.which(java) or java).resolve().parents[1]


def _unpack(archive: Path, dest: Path) -> None:
    """Unzip the distribution into dest without its top folder, keeping the files' modes (bin/ is executable)."""
    with zipfile.ZipFile(archive) as zipped:
        for info in zipped.infolist():
            parts = Path(info.filename).parts[1:]
            if not parts:
                continue
            if ".." in parts or Path(info.filename).is_absolute():
                raise StackError(f"{archive} holds an unsafe path: {info.filename}")
            target = dest.joinpath(*parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zipped.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                target.chmod(mode)


def _walk(root: Path) -> Iterator[Path]:
    yield root
    for parent, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            yield Path(parent) / name


def _chown_tree(root: Path, uid: int, gid: int) -> None:
    for path in _walk(root):
        info = path.lstat()
        if (info.st_uid, info.st_gid) != (uid, gid):
            os.lchown(path, uid, gid)
