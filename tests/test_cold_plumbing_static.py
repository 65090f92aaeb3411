"""Static files under content-hashed URLs, immutable for a year (portal/core/static_files.py)."""

from __future__ import annotations

import re

from flask import url_for

from portal.core.static_files import IMMUTABLE, digest_folder


def test_pages_link_assets_with_their_content_hash(app, client):
    hashes = app.extensions["static_hashes"]
    html = client.get("/login").get_data(as_text=True)
    for name in ("css/inward.css", "js/inward.js", "js/combobox.js", "vendor/htmx.min.js"):
        assert f'"/static/{name}?v={hashes[name]}"' in html
    assert re.fullmatch(r"[0-9a-f]{12}", hashes["css/inward.css"])


def test_a_hashed_asset_is_immutable_and_others_revalidate(app, client):
    with app.test_request_context():
        hashed = url_for("static", filename="css/inward.css")
    with client.get(hashed) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE
        assert "Expires" not in response.headers
    for stale in ("/static/css/inward.css", "/static/css/inward.css?v=0123456789ab"):
        with client.get(stale) as response:  # no hash, or an old one: never kept for a year
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == "no-cache"
    with client.get("/static/nothing-here.css?v=0123456789ab") as response:
        assert response.status_code == 404
        assert response.headers.get("Cache-Control") != IMMUTABLE


def test_a_changed_file_gets_a_new_url(tmp_path):
    (tmp_path / "css").mkdir()
    style = tmp_path / "css" / "site.css"
    style.write_text("body { color: black }")
    (tmp_path / ".hidden").write_text("not served by name")
    before = digest_folder(tmp_path)
    assert set(before) == {"css/site.css"}
    style.write_text("body { color: navy }")
    after = digest_folder(tmp_path)
    assert after["css/site.css"] != before["css/site.css"]
    assert digest_folder(tmp_path / "missing") == {}


def test_cdn_htmx_keeps_its_integrity_and_local_assets_their_hash(build_app):
    cdn = build_app(HTMX_SOURCE="cdn")
    with cdn.app_context():
        html = cdn.test_client().get("/login").get_data(as_text=True)
    assert 'integrity="sha384-' in html
    assert f'/static/css/inward.css?v={cdn.extensions["static_hashes"]["css/inward.css"]}"' in html
