"""Datasette started as `make serve` starts it, on a free port of 127.0.0.1, for the benchmarks."""

from __future__ import annotations

import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def serve_args(db: Path, inspect: Path, port: int) -> list[str]:
    """The Makefile's serve recipe, with this environment's Datasette, ``db`` and a port."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^serve:.*\n((?:\t.*\n)+)", text, re.M).group(1)
    args = shlex.split(recipe.replace("\\\n", " ").replace("\t", " "))
    bin_dir = str(Path(sys.executable).parent)
    return [a.replace("$(BIN)", bin_dir).replace("$(DB)", str(db)).replace("$(HOST)", "127.0.0.1")
            .replace("$(PORT)", str(port)).replace("$(INSPECT)", str(inspect)) for a in args]


def sql_time_limit_ms() -> int:
    args = serve_args(Path("x"), Path("x"), 0)
    return int(args[args.index("sql_time_limit_ms") + 1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(db: Path, inspect: Path, timeout: float = 60):
    """Yield the base URL of a Datasette serving ``db``; stop it afterwards."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(serve_args(db, inspect, port), cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("Datasette did not start: "
                                       + server.stderr.read().decode()[-2000:]) from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
