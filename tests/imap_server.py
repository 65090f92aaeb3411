"""A throwaway Dovecot IMAP server on 127.0.0.1 for the mail-in tests: its own config,
users and maildirs in a temporary folder, plain IMAP on a free port (no TLS: it never
leaves the machine), started in the foreground and stopped by its own process id.

Skipped with the reason when Dovecot is not installed, except under CI=true, where the
tests fail instead (.ci/run installs Debian's dovecot-imapd)."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.notify_servers import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
MISSING = "Dovecot is not installed (apt-get install dovecot-imapd); the IMAP tests need it"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def require_dovecot() -> None:
    if os.path.exists(DOVECOT):
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(MISSING + " and CI=true requires them")
    pytest.skip(MISSING)


class DovecotServer:
    def __init__(self, users: dict[str, str]):
        self.port = free_port()
        self.users = users
        self.root = Path(tempfile.mkdtemp(prefix="inward-dovecot-"))
        self.process: subprocess.Popen | None = None

    def _accounts(self) -> dict:
        if os.geteuid() != 0:  # everything runs as whoever runs the tests
            me = pwd.getpwuid(os.geteuid())
            return dict(
                internal_user=me.pw_name,
                internal_group=me.pw_name,
                login_user=me.pw_name,
                uid=me.pw_uid,
                gid=me.pw_gid,
            )
        # As root, Dovecot's own accounts (mail may not be handled as root).
        owner = pwd.getpwnam("dovecot")
        return dict(
            internal_user="dovecot",
            internal_group="dovecot",
            login_user="dovenull",
            uid=owner.pw_uid,
            gid=owner.pw_gid,
        )

    def start(self) -> DovecotServer:
        accounts = self._accounts()
        for folder in ("run", "state", "home"):
            (self.root / folder).mkdir()
        (self.root / "users").write_text(
            "".join(f"{name}:{{PLAIN}}{password}\n" for name, password in self.users.items())
        )
        config = self.root / "dovecot.conf"
        config.write_text(CONFIG.format(root=self.root, port=self.port, **accounts))
        if os.geteuid() == 0:
            os.chown(self.root / "home", accounts["uid"], accounts["gid"])
            os.chmod(self.root, 0o755)  # noqa: S103  (Dovecot's own accounts read below it)
        self.process = subprocess.Popen(  # noqa: S603  (the installed dovecot, our config)
            [DOVECOT, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot stopped: {self.process.stderr.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("dovecot did not listen within 10 s")

    def url(self, user: str) -> str:
        return f"imap://{user.replace('@', '%40')}:{self.users[user]}@127.0.0.1:{self.port}/INBOX"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()
        shutil.rmtree(self.root, ignore_errors=True)
