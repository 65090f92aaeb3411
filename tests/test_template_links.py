"""Templates' url_for remembers each internal link it builds (presentation.py): it must
give what Flask's url_for gives, per mount point, and build anything else every time."""

from __future__ import annotations

from flask import render_template_string, url_for


def test_remembered_links_are_flasks_links(app):
    template = (
        "{{ url_for('directory.home') }}|{{ url_for('static', filename='css/inward.css') }}"
        "|{{ url_for('recognition.wall', department='it') }}"
        "|{{ url_for('directory.home', _external=True) }}"
    )
    for root in ("", "/intranet"):  # mounted at the root, then under a prefix
        with app.test_request_context("/", base_url=f"http://portal.example{root}/"):
            expected = "|".join(
                [
                    url_for("directory.home"),
                    url_for("static", filename="css/inward.css"),
                    url_for("recognition.wall", department="it"),
                    url_for("directory.home", _external=True),
                ]
            )
            assert render_template_string(template) == expected
            assert render_template_string(template) == expected  # the remembered ones
            assert expected.startswith(f"{root}/|")


def test_relative_endpoints_follow_the_blueprint_of_the_request(app):
    # ".home" is the directory's home on "/" and the admin's on "/admin".
    with app.test_request_context("/"):
        assert render_template_string("{{ url_for('.home') }}") == "/"
    with app.test_request_context("/admin"):
        assert render_template_string("{{ url_for('.home') }}") == "/admin"
