"""`buut serve`: the WSGI app serves the built site, safely."""
from __future__ import annotations

import pytest

from buut.serve.app import SiteApp


def call(app, path, method="GET"):
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    body = b"".join(app({"REQUEST_METHOD": method, "PATH_INFO": path}, start_response))
    return answer["status"], answer["headers"], body


@pytest.fixture(scope="module")
def app(built_site):
    return SiteApp(built_site)


def test_home_and_pages_are_served(app):
    status, headers, body = call(app, "/")
    assert status == "200 OK" and b'<html lang="nl"' in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    status, _, body = call(app, "/werkkader/2-4-werkproces/")
    assert status == "200 OK" and b"2.4.1" in body


def test_directory_without_slash_redirects(app):
    status, headers, _ = call(app, "/werkkader")
    assert status.startswith("301") and headers["Location"] == "/werkkader/"


@pytest.mark.parametrize("path", [
    "/../pyproject.toml", "/werkkader/../../glossary.yml", "/%2e%2e/glossary.yml", "/..%2fglossary.yml",
    "/%2e%2e%2f%2e%2e%2fetc/passwd", "/assets/..\\..\\x", "/bestaat-niet/", "/index.html%00.js",
])
def test_paths_outside_the_site_or_missing_are_404(app, path):
    status, _, _ = call(app, path)
    assert status == "404 Not Found"


def test_security_headers(app):
    _, headers, _ = call(app, "/")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"


def test_only_get_and_head(app):
    assert call(app, "/", "POST")[0].startswith("405")
    status, _, body = call(app, "/", "HEAD")
    assert status == "200 OK" and body == b""
