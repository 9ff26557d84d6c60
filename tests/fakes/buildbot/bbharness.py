#!/usr/bin/env python3
"""Run a real Buildbot 3.7 master and worker on loopback ports for tests.

  bbharness.py start  --dir DIR [--http-port P] [--pb-port Q] [--auth]
  bbharness.py stop   --dir DIR
  bbharness.py status --dir DIR
  bbharness.py force  --dir DIR --builder NAME [--branch B] [--revision R]
                      [--property k=v]... [--wait]
  bbharness.py change --dir DIR [--branch B] [--revision R] ... [--wait]

`start` writes DIR/env (KEY=VALUE lines, BUILDBOT_URL among them) once the
worker is attached; tests read the server address from there. Only the
Python standard library is used; the master and worker are the `buildbot`
and `buildbot-worker` commands from the Debian packages.
"""

import argparse
import base64
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "master.cfg.in"

WORKER_NAME = "w1"
AUTH_USER = "ci"
AUTH_PASSWORD = "secret"

# The worker sends command output to the master at most this often. Stock
# workers wait 5 s; a shorter interval lets tests watch a log grow quickly.
DEFAULT_LOG_FLUSH = 1.0

# The force scheduler in master.cfg.in declares property1 .. property4.
FORCE_PROPERTY_SLOTS = 4

ENV_FILE = "env"
HARNESS_LOG = "harness.log"


class HarnessError(Exception):
    """A failure the caller can act on; main() prints it and exits 1."""


# ---------------------------------------------------------------------------
# Small helpers


def say(message):
    print(f"bbharness: {message}", file=sys.stderr, flush=True)


def tail(path, lines=40):
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return f"(no {path})"
    return "\n".join(text.splitlines()[-lines:])


def free_loopback_ports(count):
    """Ports the kernel hands out for 127.0.0.1:0, all held open together so
    that they differ. Another process may still take one before the master
    binds it; start() retries with fresh ports when that happens."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


# Variables the daemons inherit from us. Build steps run with the worker's
# environment and print it into every stdio log header, so whatever else the
# test runner has set (tokens included) stays out.
INHERITED_VARIABLES = ("PATH", "HOME", "TMPDIR", "TZ")


def tool_env():
    """The environment for buildbot commands: a small fixed set of variables,
    and the stub www plugin on PYTHONPATH since Debian's buildbot has no
    buildbot-www."""
    env = {name: os.environ[name] for name in INHERITED_VARIABLES if name in os.environ}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env["LANG"] = "C.UTF-8"
    env["PYTHONPATH"] = str(HERE)
    return env


def find_tool(name):
    path = shutil.which(name)
    if not path:
        raise HarnessError(f"`{name}` not found on PATH; install the Debian package `{name}`")
    return path


def run_tool(base, args):
    """Runs a buildbot command with its output appended to DIR/harness.log.

    The daemons inherit the command's stdout and stderr; handing them a file
    instead of our own pipes keeps CTest from waiting for the daemons to end.
    """
    log_path = base / HARNESS_LOG
    with open(log_path, "a") as log:
        log.write(f"$ {' '.join(args)}\n")
        log.flush()
        started = time.monotonic()
        result = subprocess.run(args, cwd=base, env=tool_env(), stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT)
        log.write(f"# exit {result.returncode} after {time.monotonic() - started:.1f} s\n")
    return result.returncode


# ---------------------------------------------------------------------------
# Process handling by pid file


def read_pid(pid_file):
    try:
        return int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


def is_daemon(pid, node_dir):
    """True when pid is alive and looks like the twistd daemon of node_dir,
    so that a pid reused by an unrelated process is never signalled."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False

    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        cwd = os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return True  # no /proc: trust the pid file

    looks_like_buildbot = "buildbot" in cmdline or "twistd" in cmdline
    return looks_like_buildbot and Path(cwd).resolve() == node_dir.resolve()


def daemon_pid(node_dir):
    pid = read_pid(node_dir / "twistd.pid")
    if pid is not None and is_daemon(pid, node_dir):
        return pid
    return None


def wait_gone(pid, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def stop_daemons(nodes):
    """Sends SIGTERM to every running daemon among nodes ({label: dir}) at
    once, then SIGKILL to any that is still there after 15 s."""
    running = {}
    for label, node_dir in nodes.items():
        pid = daemon_pid(node_dir)
        if pid is not None:
            say(f"stopping {label} (pid {pid})")
            running[label] = pid
            signal_pid(pid, signal.SIGTERM)

    deadline = time.monotonic() + 15
    for label, pid in running.items():
        if not wait_gone(pid, max(0.0, deadline - time.monotonic())):
            say(f"{label} ignored SIGTERM for 15 s; killing it")
            signal_pid(pid, signal.SIGKILL)
            wait_gone(pid, 5)

    for node_dir in nodes.values():
        (node_dir / "twistd.pid").unlink(missing_ok=True)


def signal_pid(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


# ---------------------------------------------------------------------------
# The env file


def write_env(base, values):
    text = "".join(f"{key}={value}\n" for key, value in values.items())
    temp = base / (ENV_FILE + ".tmp")
    temp.write_text(text)
    temp.replace(base / ENV_FILE)
    return text


def read_env(base):
    path = base / ENV_FILE
    try:
        lines = path.read_text().splitlines()
    except OSError:
        raise HarnessError(f"{path} is missing; run `bbharness.py start --dir {base}` first")

    values = {}
    for line in lines:
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip()] = value.strip()
    return values


# ---------------------------------------------------------------------------
# REST and JSON-RPC client


class Api:
    """Talks to /api/v2 of one master, logging in first when auth is on."""

    def __init__(self, url, user=None, password=None, timeout=10):
        self.url = url.rstrip("/") + "/"
        self.user = user
        self.password = password
        self.timeout = timeout
        self.cookie = None

    def _open(self, request):
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            return opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError:
            raise
        except urllib.error.URLError as error:
            raise HarnessError(f"cannot reach {request.full_url}: {error.reason}")

    def login(self):
        """GET /auth/login with basic credentials answers 302 and a session
        cookie; Buildbot ignores basic auth on the API itself."""
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        request = urllib.request.Request(self.url + "auth/login",
                                         headers={"Authorization": f"Basic {token}"})
        try:
            with self._open(request) as response:
                headers = response.headers
        except urllib.error.HTTPError as error:
            if error.code != 302:
                raise HarnessError(f"login as {self.user!r} at {self.url}auth/login: "
                                   f"HTTP {error.code}")
            headers = error.headers

        # The reply sets TWISTED_SESSION twice, first for the anonymous
        # session and then for the logged-in one; the last one counts.
        for header in headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name.strip() == "TWISTED_SESSION":
                self.cookie = "TWISTED_SESSION=" + rest.split(";", 1)[0]
        if not self.cookie:
            raise HarnessError(f"login as {self.user!r} at {self.url}auth/login "
                               "gave no session cookie")

    def _headers(self, extra=None):
        headers = {"Accept": "application/json"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        headers.update(extra or {})
        return headers

    def get(self, path, query=None):
        url = self.url + "api/v2/" + path.lstrip("/")
        if query:
            url += "?" + urllib.parse.urlencode(query, doseq=True)
        request = urllib.request.Request(url, headers=self._headers())
        try:
            with self._open(request) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            raise HarnessError(f"GET {url}: HTTP {error.code}: {body}")

    def rpc(self, path, method, params):
        if self.user and not self.cookie:
            self.login()

        url = self.url + "api/v2/" + path.lstrip("/")
        body = json.dumps({"jsonrpc": "2.0", "method": method, "id": 1, "params": params})
        request = urllib.request.Request(
            url, data=body.encode(), method="POST",
            headers=self._headers({"Content-Type": "application/json"}))
        try:
            with self._open(request) as response:
                reply = json.load(response)
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
            try:
                reply = json.loads(text)
            except ValueError:
                raise HarnessError(f"POST {url} ({method}): HTTP {error.code}: {text}")

        if "error" in reply:
            raise HarnessError(f"POST {url} ({method}): {reply['error'].get('message')}")
        return reply["result"]

    def post_form(self, path, fields):
        url = self.url + path.lstrip("/")
        request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(),
                                         method="POST", headers=self._headers())
        try:
            with self._open(request) as response:
                return response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
            raise HarnessError(f"POST {url}: HTTP {error.code}: {text}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def api_for(base):
    env = read_env(base)
    if env.get("BUILDBOT_AUTH") == "1":
        return Api(env["BUILDBOT_URL"], env["BUILDBOT_USER"], env["BUILDBOT_PASSWORD"])
    return Api(env["BUILDBOT_URL"])


def poll(what, timeout, probe, interval=0.2):
    """Calls probe() until it returns something other than None."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value is not None:
            return value
        if time.monotonic() >= deadline:
            raise HarnessError(f"timed out after {timeout:.1f} s waiting for {what}")
        time.sleep(interval)


# ---------------------------------------------------------------------------
# start / stop / status


def node_dirs(base):
    return base / "master", base / "worker"


def render_master_cfg(http_port, pb_port, worker_password, auth):
    values = {
        "HTTP_PORT": http_port,
        "PB_PORT": pb_port,
        "WORKER_NAME": WORKER_NAME,
        "WORKER_PASSWORD": worker_password,
        "AUTH_ENABLED": auth,
        "AUTH_USER": AUTH_USER,
        "AUTH_PASSWORD": AUTH_PASSWORD,
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", repr(value))
    return text


def register_stub_in_tac(tac_path):
    """Lets `buildbot start DIR/master` find the stub www plugin without
    PYTHONPATH, for running the master by hand. The plugin list is read when
    the BuildMaster is built, so the path goes in just before that line."""
    marker = "m = BuildMaster("
    text = tac_path.read_text()
    if marker not in text:
        return

    lines = ("# Added by bbharness.py: the stand-in for buildbot-www.\n"
             "import sys, pkg_resources\n"
             f"sys.path.insert(0, {str(HERE)!r})\n"
             f"pkg_resources.working_set.add_entry({str(HERE)!r})\n\n")
    tac_path.write_text(text.replace(marker, lines + marker, 1))


def start_master(base, http_port, pb_port, worker_password, auth, timeout):
    """Creates and starts the master. Returns None once it runs, or the port
    it could not listen on."""
    master_dir, _ = node_dirs(base)
    buildbot = find_tool("buildbot")

    if not master_dir.exists():
        if run_tool(base, [buildbot, "create-master", "-q", "-r", str(master_dir)]) != 0:
            raise HarnessError(f"buildbot create-master failed:\n{tail(base / HARNESS_LOG)}")
        register_stub_in_tac(master_dir / "buildbot.tac")

    (master_dir / "master.cfg").write_text(
        render_master_cfg(http_port, pb_port, worker_password, auth))
    (master_dir / "twistd.log").unlink(missing_ok=True)

    code = run_tool(base, [buildbot, "start", f"--start_timeout={int(timeout)}",
                           str(master_dir)])
    if code == 0 and daemon_pid(master_dir) is not None:
        return None

    stop_daemons({"master": master_dir})
    log = tail(master_dir / "twistd.log", lines=100000)
    busy = re.search(r"CannotListenError: Couldn't listen on [^:]+:(\d+)", log)
    if busy:
        return int(busy.group(1))
    raise HarnessError(f"the master did not start; tail of {master_dir}/twistd.log:\n"
                       f"{tail(master_dir / 'twistd.log')}")


def start_worker(base, pb_port, worker_password, log_flush):
    _, worker_dir = node_dirs(base)
    tool = find_tool("buildbot-worker")

    shutil.rmtree(worker_dir, ignore_errors=True)
    create = [tool, "create-worker", "-q", "-r", "--maxdelay=2", str(worker_dir),
              f"127.0.0.1:{pb_port}", WORKER_NAME, worker_password]
    if run_tool(base, create) != 0:
        raise HarnessError(f"buildbot-worker create-worker failed:\n{tail(base / HARNESS_LOG)}")

    with open(worker_dir / "buildbot.tac", "a") as tac:
        tac.write("\n# Added by bbharness.py: how often command output goes to the master.\n"
                  f"s.bot.buffer_timeout = {float(log_flush)!r}\n")

    if run_tool(base, [tool, "start", str(worker_dir)]) != 0:
        raise HarnessError(f"the worker did not start; tail of {worker_dir}/twistd.log:\n"
                           f"{tail(worker_dir / 'twistd.log')}")


def worker_connected(api):
    try:
        workers = api.get("workers", {"name": WORKER_NAME}).get("workers", [])
    except (HarnessError, OSError, ValueError):
        return False
    return any(w.get("connected_to") for w in workers)


def cmd_start(args):
    base = Path(args.dir).resolve()
    base.mkdir(parents=True, exist_ok=True)
    try:
        return start_all(base, args)
    except BaseException:
        stop_all(base)  # leave nothing running behind a failed start
        raise


def start_all(base, args):
    started = time.monotonic()

    stop_all(base)
    for node in node_dirs(base):
        shutil.rmtree(node, ignore_errors=True)
    (base / HARNESS_LOG).unlink(missing_ok=True)

    worker_password = secrets.token_hex(12)
    for _ in range(5):
        free = [p for p in free_loopback_ports(4) if p not in (args.http_port, args.pb_port)]
        http_port = args.http_port or free[0]
        pb_port = args.pb_port or free[1]
        busy = start_master(base, http_port, pb_port, worker_password, args.auth, args.timeout)
        if busy is None:
            break
        if busy in (args.http_port, args.pb_port):
            raise HarnessError(f"port {busy} on 127.0.0.1 is in use")
        say(f"port {busy} was taken before the master could listen on it; trying another")
    else:
        raise HarnessError("the master found its ports taken 5 times in a row")

    start_worker(base, pb_port, worker_password, args.log_flush)

    url = f"http://127.0.0.1:{http_port}/"
    api = Api(url)
    remaining = max(1.0, args.timeout - (time.monotonic() - started))
    try:
        poll("the worker to attach", remaining, lambda: True if worker_connected(api) else None)
    except HarnessError as error:
        master_dir, worker_dir = node_dirs(base)
        raise HarnessError(f"{error}\n--- {master_dir}/twistd.log ---\n"
                           f"{tail(master_dir / 'twistd.log')}\n"
                           f"--- {worker_dir}/twistd.log ---\n{tail(worker_dir / 'twistd.log')}")

    values = {
        "BUILDBOT_URL": url,
        "BUILDBOT_API": url + "api/v2/",
        "BUILDBOT_HTTP_PORT": http_port,
        "BUILDBOT_PB_PORT": pb_port,
        "BUILDBOT_DIR": base,
        "BUILDBOT_WORKER": WORKER_NAME,
        "BUILDBOT_AUTH": 1 if args.auth else 0,
    }
    if args.auth:
        values["BUILDBOT_USER"] = AUTH_USER
        values["BUILDBOT_PASSWORD"] = AUTH_PASSWORD
    text = write_env(base, values)

    say(f"master and worker ready in {time.monotonic() - started:.1f} s")
    sys.stdout.write(text)
    return 0


def stop_all(base):
    master_dir, worker_dir = node_dirs(base)
    stop_daemons({"worker": worker_dir, "master": master_dir})
    (base / ENV_FILE).unlink(missing_ok=True)


def cmd_stop(args):
    """Never fails, so that a CTest cleanup fixture always passes."""
    base = Path(args.dir).resolve()
    try:
        if base.is_dir():
            stop_all(base)
    except Exception as error:  # noqa: BLE001 - cleanup must not fail the run
        say(f"stop: {error}")
    return 0


def cmd_status(args):
    base = Path(args.dir).resolve()
    master_dir, worker_dir = node_dirs(base)
    status = {
        "dir": str(base),
        "master_pid": daemon_pid(master_dir),
        "worker_pid": daemon_pid(worker_dir),
        "worker_connected": False,
    }

    if (base / ENV_FILE).exists():
        env = read_env(base)
        status["url"] = env.get("BUILDBOT_URL")
        status["auth"] = env.get("BUILDBOT_AUTH") == "1"
        status["worker_connected"] = worker_connected(Api(env["BUILDBOT_URL"], timeout=3))

    status["running"] = bool(status["master_pid"] and status["worker_pid"]
                             and status["worker_connected"])
    print(json.dumps(status, indent=2))
    return 0 if status["running"] else 1


# ---------------------------------------------------------------------------
# force / change


def parse_properties(pairs):
    properties = []
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise HarnessError(f"--property needs NAME=VALUE, got {pair!r}")
        properties.append((name, value))

    if len(properties) > FORCE_PROPERTY_SLOTS:
        raise HarnessError(f"the force scheduler takes at most {FORCE_PROPERTY_SLOTS} properties")
    return properties


def first_build(api, path):
    builds = api.get(path).get("builds", [])
    return builds[0] if builds else None


def wait_complete(api, buildid, timeout):
    def probe():
        build = api.get(f"builds/{buildid}")["builds"][0]
        return build if build["complete"] else None

    return poll(f"build {buildid} to complete", timeout, probe, interval=0.3)


def build_summary(build):
    return {
        "buildid": build["buildid"],
        "number": build["number"],
        "builderid": build["builderid"],
        "buildrequestid": build["buildrequestid"],
        "complete": build["complete"],
        "results": build["results"],
        "state_string": build["state_string"],
    }


def cmd_force(args):
    base = Path(args.dir).resolve()
    api = api_for(base)
    properties = parse_properties(args.property)

    builders = api.get("builders", {"name": args.builder}).get("builders", [])
    if not builders:
        known = ", ".join(b["name"] for b in api.get("builders")["builders"])
        raise HarnessError(f"no builder {args.builder!r}; known builders: {known}")

    params = {
        "builderNames": [args.builder],
        "reason": args.reason,
        "username": args.username,
        "branch": args.branch,
        "revision": args.revision,
        "repository": args.repository,
        "project": args.project,
    }
    for slot, (name, value) in enumerate(properties, start=1):
        params[f"property{slot}_name"] = name
        params[f"property{slot}_value"] = value

    buildsetid, requests = api.rpc("forceschedulers/force", "force", params)
    brid = next(iter(requests.values()))
    result = {"builder": args.builder, "buildsetid": buildsetid, "buildrequestid": brid}
    if args.request_only:
        print(json.dumps(result))
        return 0

    build = poll(f"build request {brid} to start a build", args.timeout,
                 lambda: first_build(api, f"buildrequests/{brid}/builds"))

    if args.wait:
        build = wait_complete(api, build["buildid"], args.timeout)

    result.update(build_summary(build))
    print(json.dumps(result))
    return 0


def cmd_change(args):
    base = Path(args.dir).resolve()
    api = api_for(base)
    revision = args.revision or secrets.token_hex(20)

    fields = {
        "author": args.author,
        "comments": args.comments,
        "revision": revision,
        "branch": args.branch,
        "repository": args.repository,
        "project": args.project,
        "files": json.dumps(args.file),
        "revlink": args.revlink,
    }
    if args.when:
        fields["when_timestamp"] = str(args.when)
    api.post_form("change_hook/base", fields)

    def latest_change():
        changes = api.get("changes", {"revision": revision, "order": "-changeid", "limit": 1})
        return changes["changes"][0] if changes["changes"] else None

    change = poll(f"change {revision}", args.timeout, latest_change)
    result = {"changeid": change["changeid"], "revision": revision}

    if args.wait:
        build = poll(f"a build for change {change['changeid']}", args.timeout,
                     lambda: first_build(api, f"changes/{change['changeid']}/builds"))
        result.update(build_summary(wait_complete(api, build["buildid"], args.timeout)))

    print(json.dumps(result))
    return 0


# ---------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Start, drive and stop a Buildbot master and worker for tests.")
    commands = parser.add_subparsers(dest="command", required=True)

    start = commands.add_parser("start", help="create and start master and worker in DIR")
    start.add_argument("--dir", required=True)
    start.add_argument("--http-port", type=int, help="web/REST port (default: a free one)")
    start.add_argument("--pb-port", type=int, help="worker port (default: a free one)")
    start.add_argument("--auth", action="store_true",
                       help=f"require login as {AUTH_USER}/{AUTH_PASSWORD} for control calls")
    start.add_argument("--log-flush", type=float, default=DEFAULT_LOG_FLUSH,
                       help="seconds between output updates from the worker (stock: 5)")
    start.add_argument("--timeout", type=float, default=60, help="seconds until ready")
    start.set_defaults(run=cmd_start)

    stop = commands.add_parser("stop", help="stop master and worker in DIR; never fails")
    stop.add_argument("--dir", required=True)
    stop.set_defaults(run=cmd_stop)

    status = commands.add_parser("status", help="print JSON status; exit 0 when running")
    status.add_argument("--dir", required=True)
    status.set_defaults(run=cmd_status)

    force = commands.add_parser("force", help="force a build and print it as JSON")
    force.add_argument("--dir", required=True)
    force.add_argument("--builder", required=True)
    force.add_argument("--branch", default="")
    force.add_argument("--revision", default="")
    force.add_argument("--repository", default="")
    force.add_argument("--project", default="")
    force.add_argument("--reason", default="forced by bbharness")
    force.add_argument("--username", default="",
                       help='owner, as "Name <email>" (default: none)')
    force.add_argument("--property", action="append", default=[], metavar="NAME=VALUE")
    until = force.add_mutually_exclusive_group()
    until.add_argument("--wait", action="store_true", help="wait until the build completes")
    until.add_argument("--request-only", action="store_true",
                       help="print the build request at once, without waiting for a build")
    force.add_argument("--timeout", type=float, default=120)
    force.set_defaults(run=cmd_force)

    change = commands.add_parser("change",
                                 help="post a change (starts an `ok` build) and print its id")
    change.add_argument("--dir", required=True)
    change.add_argument("--revision", help="default: a random 40-hex sha")
    change.add_argument("--branch", default="main")
    change.add_argument("--author", default="Jane Dev <jane@example.test>")
    change.add_argument("--comments", default="Change the frobnicator\n\nLonger body.")
    change.add_argument("--repository", default="https://git.example.test/repo.git")
    change.add_argument("--project", default="demo")
    change.add_argument("--revlink", default="")
    change.add_argument("--file", action="append", default=[], metavar="PATH")
    change.add_argument("--when", type=int, help="when_timestamp, epoch seconds")
    change.add_argument("--wait", action="store_true", help="wait for its `ok` build to end")
    change.add_argument("--timeout", type=float, default=120)
    change.set_defaults(run=cmd_change)

    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return args.run(args)
    except HarnessError as error:
        say(f"error: {error}")
        return 1
    except OSError as error:  # urllib.error.URLError included
        say(f"error: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
