"""Serve: the nginx configuration of the deployment recipe in `deploy/`.

`nginx_config` fills in `deploy/nginx/buut.conf.in`. The security headers nginx adds to the files
it serves itself (the public site, the intranet's theme files) come from `buut/serve/app.py`, with the
fixed Content-Security-Policy (buut/build/theme_policy.py: never derived from what a build contains), so
nginx and `buut serve` send the same headers (tests/test_deploy.py compares them). The one request
of the public host that reaches `buut serve` (a partner's report, buut/serve/correctie.py) gets nginx'
headers too: the server's own are hidden there, so none is sent twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from buut.model import BuutError
from buut.serve.release import current
from buut.serve.app import SECURITY_HEADERS

TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "buut.conf.in"

LOGIN_OAUTH2_PROXY = """\
        # Login: oauth2-proxy (started with --set-xauthrequest) on {oauth2} checks every request;
        # nginx hands its identity to BUUT (buut serve --auth proxy --trusted-proxy 127.0.0.1).
        auth_request /oauth2/auth;
        error_page 401 = /oauth2/sign_in;
        auth_request_set $buut_user $upstream_http_x_auth_request_user;
        auth_request_set $buut_email $upstream_http_x_auth_request_email;
        auth_request_set $buut_groups $upstream_http_x_auth_request_groups;

        location /oauth2/ {{
            auth_request off;
            proxy_pass http://{oauth2};
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Auth-Request-Redirect $request_uri;
        }}
        location = /oauth2/auth {{
            internal;
            auth_request off;
            proxy_pass http://{oauth2};
            proxy_set_header Host $host;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
        }}
"""


@dataclass(frozen=True)
class NginxSettings:
    servers: tuple[str, ...]  # the buut serve processes, "127.0.0.1:8001"
    releases: Path  # the folder with the releases and `current` (buut release --map)
    cert: Path
    key: Path
    intranet_listen: str = "443"
    intranet_name: str = "_"
    publiek_listen: str = "443"
    publiek_name: str = "_"
    oauth2_proxy: str | None = None  # "127.0.0.1:4180": login in front; None: no login in nginx
    user: str = "www-data"
    pid: str = "/run/nginx.pid"
    logs: str = "/var/log/nginx"
    temp: str = "/var/lib/nginx"
    mime_types: str = "/etc/nginx/mime.types"


def security_headers() -> list[tuple[str, str]]:
    """The headers `buut serve` sends (serve.SiteApp.security_headers): the same for every release."""
    return list(SECURITY_HEADERS)


def _add_headers(headers: list[tuple[str, str]], indent: str) -> str:
    lines = [f'{indent}add_header {name} "{value}" always;' for name, value in headers]
    lines.append(f'{indent}add_header Strict-Transport-Security "max-age=31536000" always;')
    return "\n".join(lines)


def nginx_config(settings: NginxSettings, template: Path = TEMPLATE) -> str:
    release = current(settings.releases)
    if release is None:
        raise BuutError(f"{settings.releases}/current wijst naar geen release; publiceer eerst een release met "
                        "'buut release --map MAP'")
    if not settings.servers:
        raise BuutError("geef minstens één server met --server ADRES:POORT")
    try:
        text = template.read_text(encoding="utf-8")
    except OSError as error:
        raise BuutError(f"het sjabloon {template} is niet te lezen: {error.strerror}") from None
    values = {
        "USER": settings.user, "PID": settings.pid, "LOGS": settings.logs, "TEMP": settings.temp,
        "MIME_TYPES": settings.mime_types, "CERT": str(settings.cert), "KEY": str(settings.key),
        "UPSTREAMS": "\n".join(f"        server {server} max_fails=1 fail_timeout=10s;" for server in settings.servers),
        "INTRANET_LISTEN": settings.intranet_listen, "INTRANET_NAME": settings.intranet_name,
        "PUBLIEK_LISTEN": settings.publiek_listen, "PUBLIEK_NAME": settings.publiek_name,
        "RELEASES": str(settings.releases),
        "LOGIN": LOGIN_OAUTH2_PROXY.format(oauth2=settings.oauth2_proxy) if settings.oauth2_proxy else "",
        "INTRANET_HEADERS": _add_headers(security_headers(), " " * 12),
        "PUBLIEK_HEADERS": _add_headers(security_headers(), " " * 8),
        # a partner's report (POST /api/feedback): buut serve's headers are replaced by nginx' own
        "PUBLIEK_API_HIDE": "\n".join(f"{' ' * 12}proxy_hide_header {name};" for name, _ in security_headers()),
    }
    for name, value in values.items():
        if any(ch in str(value) for ch in ";{}\"'\n") and name not in ("UPSTREAMS", "LOGIN", "INTRANET_HEADERS",
                                                                      "PUBLIEK_HEADERS", "PUBLIEK_API_HIDE"):
            raise BuutError(f"de waarde voor {name.lower()} mag geen ; {{ }} aanhalingstekens of regeleinde bevatten: "
                            f"{value!r}")
        text = text.replace(f"@{name}@", str(value))
    return text
