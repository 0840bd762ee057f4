"""Benchmark 1 (`make bench`): the demo served by gunicorn, driven by wrk at 50 connections.

Sets up a fresh demo database in a temporary folder, serves it with the production settings
(DEBUG off, gunicorn, WhiteNoise) on loopback only, signs a demo member in, issues an API token,
and drives three endpoints with wrk: the signed-in home page, the organisation directory and
GET /api/v1/organisations with a bearer token. Prints p50/p95/p99 latency, requests/s and errors
next to the issue's aim and writes the table to bench/results.md. The server is always stopped.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))

from bench.common import RESULTS, load_average, machine, write_section  # noqa: E402
from interborough.core.demo import demo_environment  # noqa: E402 - needs ROOT on sys.path

AIM_P95_MS = 100.0
LUA_SCRIPT = BENCH_DIR / "wrk_report.lua"
GUNICORN_CONFIG = "python:interborough.config.gunicorn"

SHELL_SCRIPT = """
import json
from datetime import timedelta
from django.utils import timezone
from interborough.accounts.demo import DEMO_PASSWORD
from interborough.accounts.models import Membership
from interborough.accounts.services import api_token_create
m = (Membership.objects.filter(organisation__slug="camden", role="member")
     .select_related("user").order_by("user__email").first())
_, issued = api_token_create(by=m.user, name="Benchmark", scope="read",
                             expires_at=timezone.now() + timedelta(days=1))
print("BENCH_SECRETS " + json.dumps(
    {"email": m.user.email, "password": DEMO_PASSWORD, "token": issued.secret}))
"""


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    headers: tuple[str, ...]
    expect: str  # text the response must contain, so we measure the page we think we measure


@dataclass(frozen=True)
class Result:
    target: Target
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    non2xx: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def meets_aim(self) -> bool:
        return self.p95_ms < AIM_P95_MS and self.non2xx == 0 and self.socket_errors == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(cmd: list[str], env: dict[str, str], what: str) -> str:
    print(f"… {what}", flush=True)
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"{what} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def wait_until_up(base: str, server: subprocess.Popen[bytes], deadline_s: float = 60) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn exited during start-up; see its log above.")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    sys.exit("gunicorn did not answer /healthz in time.")


def sign_in(base: str, email: str, password: str) -> str:
    """Sign in through the real form (CSRF and all) and return the session cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/account/sign-in/", timeout=10) as response:
        page = response.read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        sys.exit("No CSRF token on the sign-in page.")
    body = urllib.parse.urlencode(
        {"username": email, "password": password, "csrfmiddlewaretoken": match.group(1)}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback http only
        f"{base}/account/sign-in/", data=body, method="POST"
    )
    request.add_header("Referer", f"{base}/account/sign-in/")
    with opener.open(request, timeout=10) as response:
        response.read()
    session = next((c.value for c in jar if c.name == "sessionid"), None)
    if session is None:
        sys.exit(f"Signing in as {email} did not give a session cookie.")
    return session


def check_target(base: str, target: Target) -> None:
    request = urllib.request.Request(base + target.path)  # noqa: S310 - loopback http only
    for header in target.headers:
        name, value = header.split(": ", 1)
        request.add_header(name, value)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        body = response.read().decode()
        if response.status != 200 or target.expect not in body:
            sys.exit(f"{target.name}: {target.path} did not return the expected page.")


def drive(base: str, target: Target, *, connections: int, seconds: int, threads: int) -> Result:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s"]
    cmd += ["-s", str(LUA_SCRIPT)]
    for header in target.headers:
        cmd += ["-H", header]
    out = subprocess.run(
        [*cmd, base + target.path], capture_output=True, text=True, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRK_RESULT "))
    data = json.loads(line.removeprefix("WRK_RESULT "))
    return Result(
        target=target,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        non2xx=data["non2xx"],
        socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
    )


def server_config(env: dict[str, str]) -> dict[str, str]:
    """What gunicorn actually runs with (its own --print-config), for the report."""
    out = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", GUNICORN_CONFIG, "--print-config"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    values = dict(re.findall(r"^(\w+)\s+= (.*)$", out, flags=re.MULTILINE))
    return {k: values.get(k, "?") for k in ("workers", "worker_class", "threads")}


def table(results: list[Result]) -> str:
    rows = [
        "| Endpoint | Requests/s | p50 | p95 | p99 | Non-2xx | Socket errors | "
        f"Aim: p95 < {AIM_P95_MS:.0f} ms, 0 errors |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        rows.append(
            f"| {r.target.name} | {r.rps:,.0f} | {r.p50_ms:.1f} ms | {r.p95_ms:.1f} ms | "
            f"{r.p99_ms:.1f} ms | {r.non2xx} | {r.socket_errors} | "
            f"{'met' if r.meets_aim else 'NOT MET'} |"
        )
    return "\n".join(rows)


def report(results: list[Result], args: argparse.Namespace, server: dict[str, str]) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    workers = f"{server['workers']} {server['worker_class']} workers"
    if server["worker_class"] != "sync":
        workers += f" x {server['threads']} threads"
    return "\n".join(
        [
            "## Serving the demo (issue 2)",
            "",
            f"Written by `make bench` (bench/run.py) on {when}.",
            "",
            f"- Machine: {machine()}; load average {args.load_before} when the run started "
            "(other work on the machine competes for the same cores)",
            f"- Server: gunicorn on 127.0.0.1, {workers}, DEBUG off, SQLite demo database, "
            "WhiteNoise for static files",
            f"- Load: wrk, {args.connections} connections, {args.threads} threads, "
            f"{args.duration} s per endpoint after a {args.warmup} s warm-up, on the same machine",
            "",
            table(results),
            "",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds measured per endpoint")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per endpoint")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", help="gunicorn workers (default: the config's)")
    parser.add_argument("--worker-class", help="gunicorn worker class: gthread or sync")
    parser.add_argument("--server-threads", help="threads per gthread worker")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--reuse", type=Path, help="reuse a folder kept by --keep (no set-up)")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the aim is not met")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk (make bench does this).")

    started = time.monotonic()
    args.load_before = load_average()
    folder = args.reuse or Path(tempfile.mkdtemp(prefix="interborough-bench-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["INTERBOROUGH_DATA_DIR"] = str(folder)
    os.environ["INTERBOROUGH_DATA_DIR"] = str(folder)  # demo_environment keeps its key there
    env.update(demo_environment(port=port))
    env["INTERBOROUGH_ACCESS_LOG"] = str(folder / "access.log")
    for option, variable in [
        (args.workers, "INTERBOROUGH_WORKERS"),
        (args.worker_class, "INTERBOROUGH_WORKER_CLASS"),
        (args.server_threads, "INTERBOROUGH_THREADS"),
    ]:
        if option:
            env[variable] = option
    cli = [sys.executable, "-m", "interborough.cli"]
    server: subprocess.Popen[bytes] | None = None
    log = (folder / "gunicorn.log").open("wb")
    try:
        if not args.reuse:
            run([*cli, "demo", "--no-serve", "--port", str(port)], env, "setting up a fresh demo")
        out = run([*cli, "shell", "-c", SHELL_SCRIPT], env, "issuing an API token")
        secrets = json.loads(
            next(x for x in out.splitlines() if x.startswith("BENCH_SECRETS ")).split(" ", 1)[1]
        )
        print(f"… starting gunicorn on {base}", flush=True)
        server = subprocess.Popen([*cli, "serve"], env=env, cwd=ROOT, stdout=log, stderr=log)
        wait_until_up(base, server)
        session = sign_in(base, secrets["email"], secrets["password"])
        targets = [
            Target(
                "Home page (signed in)",
                "/",
                (f"Cookie: sessionid={session}",),
                "Needs your attention",
            ),
            Target("Organisation directory", "/organisations/", (), "borough-map"),
            Target(
                "API: GET /api/v1/organisations",
                "/api/v1/organisations",
                (f"Authorization: Bearer {secrets['token']}",),
                '"items"',
            ),
        ]
        results = []
        for target in targets:
            check_target(base, target)
            print(f"… {target.name}: {args.duration} s at {args.connections} connections")
            if args.warmup:
                drive(base, target, connections=args.connections, seconds=args.warmup, threads=1)
            results.append(
                drive(
                    base,
                    target,
                    connections=args.connections,
                    seconds=args.duration,
                    threads=args.threads,
                )
            )
        text = report(results, args, server_config(env))
        print()
        print(text)
        if not args.no_write:
            write_section("serving", text)
            print(f"Written to {RESULTS.relative_to(ROOT)}")
        print(f"Total time {time.monotonic() - started:.0f} s.")
        if any(r.non2xx or r.socket_errors for r in results):
            return 1  # errors are a fault, not a figure
        return 1 if args.strict and not all(r.meets_aim for r in results) else 0
    except BaseException:
        log.flush()
        tail = (folder / "gunicorn.log").read_text(errors="replace").splitlines()[-40:]
        print("gunicorn log (last lines):", *tail, sep="\n", file=sys.stderr)
        raise
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        log.close()
        if args.keep or args.reuse:
            print(f"Kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
