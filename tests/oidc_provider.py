"""A real OpenID Connect provider on a thread (oidc-provider-mock, itself built on Authlib's
server), for the sign-in tests and the browser flow.

In front of it, a small WSGI layer that can tamper with what it answers, to prove our
checks run: `provider.tamper(aud="someone-else")` re-signs the next ID tokens with those
claims changed by a key the provider's JWKS then also lists (so only the changed claim is
wrong); `provider.tamper(foreign_key=True)` signs with a key nobody lists. The layer also
counts visits to the end-session page.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field

import pytest
import requests
import werkzeug.serving
from joserfc import jwt
from joserfc.jwk import RSAKey
from oidc_provider_mock import app as provider_app

_LISTED_KEY = RSAKey.generate_key(2048, parameters={"kid": "tamper", "use": "sig"})
_FOREIGN_KEY = RSAKey.generate_key(2048, parameters={"kid": "tamper", "use": "sig"})


@dataclass
class Provider:
    url: str
    claims: dict = field(default_factory=dict)
    foreign_key: bool = False
    discovery_issuer: str | None = None  # what the discovery document names, when not itself
    end_session_visits: list[str] = field(default_factory=list)

    def tamper(self, foreign_key: bool = False, **claims) -> None:
        self.claims, self.foreign_key = claims, foreign_key

    def reset(self) -> None:
        self.claims, self.foreign_key, self.discovery_issuer = {}, False, None
        self.end_session_visits.clear()

    def set_person(self, sub: str, **claims) -> None:
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5)
        response.raise_for_status()

    def _resign(self, id_token: str) -> str:
        payload = id_token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims.update(self.claims)
        key = _FOREIGN_KEY if self.foreign_key else _LISTED_KEY
        return jwt.encode({"alg": "RS256", "kid": "tamper"}, claims, key)

    def wsgi(self, inner):
        def app(environ, start_response):
            path = environ.get("PATH_INFO", "")
            if path.startswith("/oauth2/end_session") and environ["REQUEST_METHOD"] == "GET":
                self.end_session_visits.append(environ.get("QUERY_STRING", ""))
            if path not in ("/jwks", "/oauth2/token", "/.well-known/openid-configuration"):
                return inner(environ, start_response)
            captured = {}

            def keep(status, headers, exc_info=None):
                captured["status"], captured["headers"] = status, headers

            body = b"".join(inner(environ, keep))
            data = json.loads(body) if body else {}
            if path.startswith("/.well-known/") and self.discovery_issuer:
                data["issuer"] = self.discovery_issuer
            elif path == "/jwks" and (self.claims or self.foreign_key):
                # (Only while tampering: the provider's own tokens carry no kid, so its
                # key must be the only one then.)
                data["keys"].append(_LISTED_KEY.as_dict(private=False))
            elif "id_token" in data and (self.claims or self.foreign_key):
                data["id_token"] = self._resign(data["id_token"])
            body = json.dumps(data).encode()
            headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
            start_response(captured["status"], [*headers, ("Content-Length", str(len(body)))])
            return [body]

        return app


@pytest.fixture(scope="session")
def _provider_server():
    provider = Provider(url="")
    server = werkzeug.serving.make_server(
        "localhost", 0, provider.wsgi(provider_app()), threaded=True
    )
    provider.url = f"http://localhost:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    yield provider
    server.shutdown()
    thread.join(2)


@pytest.fixture
def oidc_provider(_provider_server):
    _provider_server.reset()
    yield _provider_server
    _provider_server.reset()


def oidc_settings(provider: Provider, **more) -> dict:
    return {
        "OIDC_ISSUER": provider.url,
        "OIDC_CLIENT_ID": "inward-tests",
        "OIDC_CLIENT_SECRET": "not-secret",
        "OIDC_BUTTON_LABEL": "Example ID",
        **more,
    }
