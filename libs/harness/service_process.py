"""Real service processes for tests, benchmarks and chaos runs: started, waited for, stopped by pid.

One harness, so a test, `make bench-search` and `make chaos` start ingest-service and search-service
the same way: `python -m <module>` on a free loopback port, with the environment of this process plus
the index and topic prefixes of the caller's settings, ready when `/readyz` answers 200. Processes are
stopped by the pid recorded beside their log, never by name.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from portal.settings import PortalSettings


def free_port() -> int:
    """A loopback port nobody listens on now (the kernel picks it; a race is possible but rare)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: The settings beyond the bootstrap address that say how to reach the broker.
KAFKA_CONNECTION = (
    "kafka_sasl_mechanism",
    "kafka_sasl_username",
    "kafka_sasl_password",
    "kafka_ssl_cafile",
    "kafka_ssl_check_hostname",
)


def service_env(settings: PortalSettings | None = None, **extra: str) -> dict[str, str]:
    """This process's environment, pointed at `settings`' servers and prefixes, then `extra` on top."""
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    if settings is not None:
        env.update(
            INDEX_PREFIX=settings.index_prefix,
            TOPIC_PREFIX=settings.topic_prefix,
            OPENSEARCH_URL=settings.opensearch_url,
            KAFKA_BOOTSTRAP_SERVERS=settings.kafka_bootstrap_servers,
            KAFKA_SECURITY_PROTOCOL=settings.kafka_security_protocol,
            TOPIC_REPLICATION_FACTOR=str(settings.topic_replication_factor),
        )
        # how to reach the broker comes from the settings too, not from whatever this process's
        # environment holds (settings made for a private plaintext broker carry no credentials)
        for name in KAFKA_CONNECTION:
            value = getattr(settings, name)
            if value is None:
                env.pop(name.upper(), None)
            else:
                env[name.upper()] = str(value).lower() if isinstance(value, bool) else str(value)
    env.update(extra)
    return env


@dataclass
class ServiceProcess:
    """One service process: `python -m module` (or `argv`, e.g. under a profiler) on `port`.

    The log keeps every lifetime of the process (a test may kill and start it again); its pid is
    written to `<log>.pid` while it runs.
    """

    name: str
    module: str
    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    argv: list[str] | None = None
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0  # wall-clock time of the last start
    ready_s: float | None = None  # seconds from the last start until /readyz answered 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} was never started"
        return self.process.pid

    @property
    def pid_path(self) -> Path:
        return self.log_path.with_suffix(".pid")

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, *, wait_ready: bool = True, timeout: float = 90) -> ServiceProcess:
        """Spawn the process; by default block until it is ready (see `wait_ready`)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        argv = self.argv or [sys.executable, "-m", self.module]
        mode = "ab" if self.process is not None else "wb"  # a restart appends to the first life's log
        with open(self.log_path, mode) as log:  # the child keeps its own copy of the descriptor
            self.started_at = time.time()
            self.ready_s = None
            self.process = subprocess.Popen(
                argv, env={**self.env, "PORT": str(self.port)}, stdout=log, stderr=log
            )
        self.pid_path.write_text(str(self.process.pid))
        if wait_ready:
            self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 90) -> float:
        """Block until /readyz answers 200; returns the seconds since the start."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                raise RuntimeError(f"{self.name} exited during start-up:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    self.ready_s = time.time() - self.started_at
                    return self.ready_s
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{self.name} not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except FileNotFoundError:
            return ""

    def memory_kb(self) -> dict[str, int]:
        """VmRSS, VmHWM and friends of the process, in kilobytes (Linux)."""
        return parse_proc_status(Path(f"/proc/{self.pid}/status").read_text())

    def reset_peak_rss(self) -> bool:
        """Reset VmHWM (peak RSS) to the current RSS, so a later read is the peak of what follows."""
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
            return True
        except OSError:
            return False

    def kill(self) -> None:
        """SIGKILL: a crash, as chaos runs and fault tests want it."""
        if self.process is not None and self.running:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self, timeout: float = 30) -> int | None:
        """SIGTERM (graceful: the ingest consumer finishes its batch), then SIGKILL after `timeout`."""
        if self.process is None:
            return None
        if self.running:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.pid_path.unlink(missing_ok=True)
        return self.process.returncode


def parse_proc_status(text: str) -> dict[str, int]:
    """VmRSS, VmHWM and friends from /proc/<pid>/status, in kilobytes."""
    sizes: dict[str, int] = {}
    for raw in text.splitlines():
        name, _, rest = raw.partition(":")
        parts = rest.split()
        if name.startswith("Vm") and len(parts) == 2 and parts[1] == "kB":
            sizes[name] = int(parts[0])
    return sizes
