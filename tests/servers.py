"""`buut serve` as a real process on a free loopback port, for tests that need a running server."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BUUT = str(Path(sys.executable).parent / "buut")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, method: str = "GET", timeout: float = 20) -> tuple[int, dict, bytes]:
    """(status, headers, body) of one plain HTTP request; an error status is an answer too."""
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@contextmanager
def buut_serve(*args: str, env: dict | None = None, port: int | None = None, wait: float = 180):
    """Run `buut serve ARGS --port PORT`; yields (base URL, process) once /healthz answers."""
    with buut_serving([list(args)], env, [port or free_port()], wait) as [server]:
        yield server


@contextmanager
def buut_serving(arguments: list[list[str]], env: dict | None, ports: list[int], wait: float = 180):
    """Start one `buut serve` per (ARGS, PORT) at the same time; yields [(base URL, process)] once all
    of them answer /healthz, and stops them afterwards."""
    processes = [subprocess.Popen([BUUT, "serve", *args, "--port", str(port)], env={**os.environ, **(env or {})},
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                 for args, port in zip(arguments, ports)]
    servers = [(f"http://127.0.0.1:{port}", process) for port, process in zip(ports, processes)]
    try:
        deadline = time.monotonic() + wait
        for base, process in servers:
            while True:
                if process.poll() is not None:
                    raise AssertionError("buut serve stopte:\n" + process.stdout.read().decode(errors="replace"))
                try:
                    if get(base + "/healthz", timeout=2)[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"buut serve antwoordde niet binnen {wait} s")
                time.sleep(0.2)
        yield servers
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()
