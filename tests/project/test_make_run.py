"""`make run`'s script on the embedded default: serves the Chinese login page, every demo account
signs in, the Celery worker comes up, and Ctrl-C stops everything it started."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from accounts.demo import ACCOUNTS, DEMO_PASSWORD


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def group_members(pgid: int) -> list[str]:
    """Live (not zombie) processes of a process group, as 'pid command' lines."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        command, _, rest = text.partition(" (")[2].rpartition(") ")
        state, _ppid, group = rest.split()[:3]
        if int(group) == pgid and state != "Z":
            members.append(f"{stat.parent.name} {command}")
    return members


def sign_in(base: str, username: str) -> str:
    """Sign in as a browser would (cookie, CSRF token, form post); returns the page landed on."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token})
    with opener.open(f"{base}/accounts/login/", data=data.encode()) as response:
        return response.geturl()


@pytest.mark.celery_worker
def test_make_run_serves_the_demo_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    env.update({"HOST": "127.0.0.1", "PORT": str(port), "VAR_DIR": str(tmp_path / "var")})
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = tmp_path / "run.log"
    process = subprocess.Popen(
        [str(Path(settings.BASE_DIR) / "scripts/run.sh")],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        page = ""
        while time.monotonic() < deadline and process.poll() is None:
            try:
                page = urllib.request.urlopen(f"{base}/accounts/login/", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert "登录" in page and '<html lang="zh-hans">' in page, log.read_text()
        for username, *_ in ACCOUNTS:
            assert sign_in(base, username) == f"{base}/", username
        while time.monotonic() < deadline and " ready." not in log.read_text():
            time.sleep(0.5)
        assert " ready." in log.read_text(), "the Celery worker did not start:\n" + log.read_text()
        assert (tmp_path / "var/mengtao.sqlite3").exists()
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground group
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            process.poll()
            if not group_members(process.pid):
                break
            time.sleep(0.25)
        alive = group_members(process.pid)
        if alive:
            os.killpg(process.pid, signal.SIGKILL)
    assert not alive, f"processes of make run outlived Ctrl-C: {alive}\n" + log.read_text()
