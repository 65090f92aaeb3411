"""Web workers never import Alembic or Flask-Migrate, nor Authlib unless they sign in through
an OpenID Connect provider; `flask db upgrade` still works."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "FLASK_APP": "wsgi.py",
        "INWARD_ENV": "development",
    }


def test_importing_wsgi_does_not_import_alembic(tmp_path):
    code = (
        "import sys, wsgi\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'alembic', 'flask_migrate'}))\n"
        "print('db' in wsgi.app.cli.commands)\n"
    )
    out = subprocess.run(  # noqa: S603  (our own interpreter, our own code)
        [sys.executable, "-c", code], cwd=ROOT, env=_env(tmp_path),
        capture_output=True, text=True, check=True,
    ).stdout.split("\n")
    assert out[0] == "[]"
    assert out[1] == "False"


def test_a_worker_without_single_sign_on_does_not_import_authlib(tmp_path):
    """Authlib, requests and joserfc are 13 MiB a worker: only a portal with OIDC_ISSUER."""
    code = (
        "import sys, wsgi\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(loaded & {'authlib', 'joserfc', 'requests'}))\n"
    )
    env = {k: v for k, v in _env(tmp_path).items() if not k.startswith("OIDC_")}
    out = subprocess.run(  # noqa: S603  (our own interpreter, our own code)
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout.split("\n")
    assert out[0] == "[]"


def test_flask_db_upgrade_still_works(tmp_path):
    flask = str(Path(sys.executable).with_name("flask"))
    env = _env(tmp_path)
    subprocess.run(  # noqa: S603  (the venv's own flask command)
        [flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    current = subprocess.run(  # noqa: S603
        [flask, "db", "current"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    assert "(head)" in current
