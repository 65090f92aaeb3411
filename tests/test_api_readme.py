"""The README's "The REST API" section, done as it says: a token files a request for a
service with questions of its own, then reads its clock back. The request body is read from
the README itself, so the example there cannot go stale."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from portal.accounts import api_tokens
from portal.models import TokenScope
from tests import factories

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_example() -> tuple[dict[str, str], dict]:
    """The headers and the JSON body of the README's curl example (api-example:create)."""
    text = README.read_text()
    block = text.split("<!-- api-example:create -->", 1)[1].split("```sh", 1)[1]
    command = block.split("```", 1)[0].replace("\\\n", " ")
    words = shlex.split(command)
    headers = dict(
        tuple(part.strip() for part in words[i + 1].split(":", 1))
        for i, word in enumerate(words)
        if word == "-H"
    )
    body = json.loads(words[words.index("-d") + 1])
    return headers, body


def test_the_readme_example_files_a_request_and_reads_its_clock(client, worlds):
    desk = worlds.it_desk()
    factories.make_field(desk.laptop, "model", "choice", options=["Standard", "Developer"])
    factories.make_field(desk.laptop, "monitors", "number", required=False, max_value=3)
    # 1. Make a token (read and write).
    _row, token = api_tokens.issue(desk.erin, api_tokens.NewToken("HR", TokenScope.READ_WRITE, 30))
    headers, body = readme_example()
    headers["Authorization"] = headers["Authorization"].replace("$TOKEN", token)
    assert headers["Authorization"] == f"Bearer {token}"
    # 2. Read the service's form.
    services = client.get("/api/v1/departments/it/services", headers=headers).get_json()
    keys = [field["key"] for field in services["services"][0]["form"]]
    assert set(body["fields"]) <= set(keys)
    # 3. File the request (twice with the same Idempotency-Key: one request).
    created = client.post("/api/v1/requests", json=body, headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    again = client.post("/api/v1/requests", json=body, headers=headers)
    assert again.status_code == 200
    assert again.get_json()["key"] == created.get_json()["key"]
    # 4. Read its clock back from the Location.
    read = client.get(created.headers["Location"], headers=headers)
    data = read.get_json()
    assert data["clock"] in {"on_track", "at_risk", "breached", "paused", "done"}
    assert data["first_response"]["target_minutes"] == 240
    assert data["resolution"]["target_minutes"] == 960
    assert data["first_response"]["due_at"] is not None
    assert {a["key"]: a["value"] for a in data["answers"]} == {"model": "Developer",
                                                                 "monitors": 2.0}
    # The ETag: 304 while nothing changed.
    unchanged = client.get(created.headers["Location"],
                           headers={**headers, "If-None-Match": read.headers["ETag"]})
    assert unchanged.status_code == 304
