"""A local Keycloak: the server distribution from Maven Central, cached, run in dev mode.

The distribution (`org.keycloak:keycloak-quarkus-dist`, zip) is fetched once with Maven and
unpacked under the cache folder; each server gets its own copy of it (its home), because a
Keycloak home holds the server's database and the realms it imports.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from keycloak import KeycloakAdmin

from twoins.cli.processes import last_lines
from twoins.common.realm_config import DEFAULT_REALM_DIR, REALM

VERSION = "26.7.3"
ARTIFACT = f"org.keycloak:keycloak-quarkus-dist:{VERSION}:zip"
ADMIN_USER = "admin"


class KeycloakError(Exception):
    """Keycloak could not be fetched or started; the message says what to do."""


def cache_dir() -> Path:
    """Where fetched servers are kept: $TWOINS_CACHE_DIR, else the user's cache folder."""
    configured = os.environ.get("TWOINS_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "twoins"


def ensure_distribution(progress: Callable[[str], None] = print, cache: Path | None = None) -> Path:
    """The unpacked distribution, fetched and unpacked the first time."""
    cache = cache or cache_dir()
    unpacked = cache / f"keycloak-{VERSION}"
    if (unpacked / "bin" / "kc.sh").exists():
        return unpacked
    cache.mkdir(parents=True, exist_ok=True)
    archive = cache / f"keycloak-quarkus-dist-{VERSION}.zip"
    if not archive.exists():
        if shutil.which("mvn") is None:
            raise KeycloakError(
                "Maven (mvn) is needed to fetch Keycloak from Maven Central; install it "
                "(Debian: apt-get install maven) and run again"
            )
        progress(f"fetching Keycloak {VERSION} from Maven Central (about 180 MB, once)")
        result = subprocess.run(
            [
                "mvn",
                "--batch-mode",
                "--quiet",
                "dependency:copy",
                f"-Dartifact={ARTIFACT}",
                f"-DoutputDirectory={cache}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0 or not archive.exists():
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-8:])
            raise KeycloakError(
                f"mvn could not fetch {ARTIFACT}; check access to Maven Central:\n{tail}"
            )
    progress(f"unpacking Keycloak {VERSION}")
    staging = cache / f"keycloak-{VERSION}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    _unzip_with_modes(archive, staging)
    (staging / f"keycloak-{VERSION}").rename(unpacked)
    shutil.rmtree(staging, ignore_errors=True)
    return unpacked


def _unzip_with_modes(archive: Path, target: Path) -> None:
    with zipfile.ZipFile(archive) as bundle:
        for member in bundle.infolist():
            extracted = Path(bundle.extract(member, target))
            mode = (member.external_attr >> 16) & 0o777
            if mode and not member.is_dir():
                extracted.chmod(mode | stat.S_IRUSR)


def java_command() -> str:
    """Keycloak needs Java 17 or later."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        raise KeycloakError(
            "Java 17 or later is needed to run Keycloak; install a JDK (Debian: "
            "apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
        )
    return java


def realm_answers(realm_url: str) -> bool:
    """Whether the realm at `realm_url` (http) serves its OpenID configuration."""
    url = f"{realm_url}/.well-known/openid-configuration"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - http only
            return bool(response.status == 200)
    except (OSError, urllib.error.HTTPError):
        return False


@dataclass
class KeycloakServer:
    """One Keycloak in dev mode, its home under `home`, the realms of `import_dir` imported.

    `public_url` is the address people's browsers use and the issuer tokens carry; services may
    reach the server at `internal_url` (a different address) and still see that issuer.
    """

    home: Path
    port: int
    management_port: int
    import_dir: Path = DEFAULT_REALM_DIR / "dev"
    public_host: str = "localhost"
    admin_password: str = "admin"  # noqa: S105 - a local dev server's bootstrap admin
    environment: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def public_url(self) -> str:
        return f"http://{self.public_host}:{self.port}"

    @property
    def internal_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        return f"{self.public_url}/realms/{REALM}"

    @property
    def log_path(self) -> Path:
        return self.home / "keycloak.log"

    def prepare(self, progress: Callable[[str], None] = print) -> None:
        """Gives the server its own copy of the distribution, with the realms to import."""
        if not (self.home / "bin" / "kc.sh").exists():
            distribution = ensure_distribution(progress)
            progress("preparing a Keycloak home")
            self.home.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(distribution, self.home, symlinks=True, dirs_exist_ok=True)
        imports = self.home / "data" / "import"
        imports.mkdir(parents=True, exist_ok=True)
        for old in imports.glob("*.json"):
            old.unlink()
        for realm_file in self.import_dir.glob("*.json"):
            shutil.copy2(realm_file, imports / realm_file.name)

    def command(self) -> list[str]:
        return [
            str(self.home / "bin" / "kc.sh"),
            "start-dev",
            "--import-realm",
            f"--http-port={self.port}",
            "--http-host=127.0.0.1",
            f"--http-management-port={self.management_port}",
            f"--hostname={self.public_url}",
            "--hostname-backchannel-dynamic=true",
            "--health-enabled=true",
            "--log-console-output=default",
        ]

    def start(self, progress: Callable[[str], None] = print, timeout: float = 180.0) -> None:
        self.prepare(progress)
        java = java_command()
        progress(f"starting Keycloak on {self.public_url}")
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={
                **os.environ,
                "JAVA": java,
                "KC_BOOTSTRAP_ADMIN_USERNAME": ADMIN_USER,
                "KC_BOOTSTRAP_ADMIN_PASSWORD": self.admin_password,
                **self.environment,
            },
            start_new_session=True,
        )
        self.wait_ready(timeout)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def is_ready(self) -> bool:
        return realm_answers(f"{self.internal_url}/realms/{REALM}")

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.is_ready():
            if self.process is not None and self.process.poll() is not None:
                raise KeycloakError(
                    f"Keycloak exited with status {self.process.returncode}; its log "
                    f"({self.log_path}) ends with:\n{self.log_tail()}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise KeycloakError(
                    f"Keycloak did not serve realm {REALM!r} within {timeout:.0f}s; its log "
                    f"({self.log_path}) ends with:\n{self.log_tail()}"
                )
            time.sleep(0.5)

    def log_tail(self, count: int = 12) -> str:
        return last_lines(self.log_path, count)

    def stop(self, timeout: float = 30.0) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def admin(self, realm: str = "master") -> KeycloakAdmin:
        """Keycloak's admin API on `realm`, signed in as the bootstrap administrator (for
        tests, set-up scripts and `twoins people` against a local server)."""
        return KeycloakAdmin(
            server_url=self.internal_url + "/",
            username=ADMIN_USER,
            password=self.admin_password,
            realm_name=realm,
            user_realm_name="master",
            timeout=20,
        )
