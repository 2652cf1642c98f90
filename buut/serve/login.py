"""Login and roles: who may see what, decided in one place, as WSGI middleware around serve.SiteApp.

`buut serve --auth none|proxy|oidc`:

- `none` (the default): no login; an editor's own machine. The app is served as it is.
- `proxy`: a proxy in front (oauth2-proxy) logs people in and passes `X-Forwarded-User`,
  `X-Forwarded-Email` and `X-Forwarded-Groups` (comma separated). Those headers count only when the
  request comes from an address given with `--trusted-proxy`; otherwise there is no user: 401.
- `oidc`: BUUT itself is the OpenID Connect client (authlib; authorization code with PKCE). The
  session is a signed cookie holding everything (user, the groups BUUT uses, expiry), so any server
  process with the same `BUUT_SESSION_SECRET` accepts it.

The contract for the rest of BUUT: on every authenticated request `environ["buut.user"]` is a stable
user id and `environ["buut.groups"]` a tuple of group names; with `--auth none` neither is set.
Also set: `buut.redacteur` (bool), `buut.csrf` (the token a POST of an editor must carry) and
`buut.eigenaren` (the owners whose group the user is in, from `BUUT_EIGENAAR_GROEPEN`).

Roles: anyone logged in is a medewerker; members of a group in `BUUT_GROEP_REDACTIE` are editors, and
only they get `/redactie/` and `/api/redactie…` (others: 403). `/healthz` and `/readyz` need no login,
nor does `/api/publiek/feedback` (a partner's report from the public site; never an identity there).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import html
import ipaddress
import json
import logging
import os
import posixpath
import secrets
import time
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs, unquote

from buut.serve.app import SECURITY_HEADERS

log = logging.getLogger("buut.serve.login")

MODES = ("none", "proxy", "oidc")
OPEN_PATHS = ("/healthz", "/readyz")  # health checks of a load balancer: never behind the login
# Reports from the public site (buut/serve/correctie.py): the public site has no login, so neither has this.
PUBLIC_PATHS = ("/api/publiek/feedback",)
CALLBACK_PATH, LOGOUT_PATH, LOGGED_OUT_PATH = "/inloggen/terug", "/uitloggen", "/uitgelogd"
EDITOR_PREFIXES = ("/redactie", "/api/redactie")  # the Redactie page and the worklist API
HANDLE_PATH = "/api/redactie/afhandelen"  # POST {"id": N}: an editor marks a report as handled
CSRF_HEADER = "HTTP_X_BUUT_CSRF"  # X-BUUT-CSRF, sent by buut.js
SESSION_COOKIE, FLOW_COOKIE = "buut_sessie", "buut_inlog"
FLOW_SECONDS = 600  # time to finish logging in at the provider
DEFAULT_SESSION_SECONDS = 8 * 3600  # a working day
MIN_SECRET = 32  # characters of BUUT_SESSION_SECRET


class LoginConfigError(Exception):
    """The login settings cannot be used: a Dutch message naming the setting."""


@dataclass(frozen=True)
class LoginSettings:
    mode: str = "none"
    trusted_proxies: tuple = ()  # ipaddress networks
    redactie_groups: frozenset = frozenset()
    eigenaar_groups: tuple = ()  # (eigenaar, group) pairs
    issuer: str = ""
    client_id: str = ""
    client_secret: str = ""
    groups_claim: str = "groups"
    session_secret: bytes = field(default=b"", repr=False)
    session_seconds: int = DEFAULT_SESSION_SECONDS
    origin: str = ""  # the site's own address (first of BUUT_ORIGIN), for the redirect URI

    @classmethod
    def from_env(cls, mode: str, trusted_proxy: tuple[str, ...] = ("127.0.0.1",), env=None) -> "LoginSettings":
        env = os.environ if env is None else env
        if mode not in MODES:
            raise LoginConfigError(f"--auth moet none, proxy of oidc zijn, niet '{mode}'.")
        networks = []
        for item in (part.strip() for value in trusted_proxy for part in value.split(",")):
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise LoginConfigError(f"--trusted-proxy: '{item}' is geen IP-adres of netwerk "
                                       "(bijvoorbeeld 127.0.0.1 of 10.0.0.0/24).") from None
        pairs = []
        for entry in (e.strip() for e in env.get("BUUT_EIGENAAR_GROEPEN", "").split(";")):
            if not entry:
                continue
            eigenaar, sep, group = (s.strip() for s in entry.partition("="))
            if not sep or not eigenaar or not group:
                raise LoginConfigError(f"BUUT_EIGENAAR_GROEPEN: '{entry}' moet de vorm 'eigenaar=groep' hebben, "
                                       "bijvoorbeeld 'Redactie werkinstructies=grp-wi'.")
            pairs.append((eigenaar, group))
        secret = env.get("BUUT_SESSION_SECRET", "")
        try:
            seconds = int(env.get("BUUT_SESSION_SECONDS", DEFAULT_SESSION_SECONDS))
        except ValueError:
            seconds = 0
        if seconds < 1:
            raise LoginConfigError("BUUT_SESSION_SECONDS moet een positief aantal seconden zijn.")
        settings = cls(
            mode=mode, trusted_proxies=tuple(networks),
            redactie_groups=frozenset(g.strip() for g in env.get("BUUT_GROEP_REDACTIE", "").split(",") if g.strip()),
            eigenaar_groups=tuple(pairs), issuer=env.get("BUUT_OIDC_ISSUER", "").strip().rstrip("/"),
            client_id=env.get("BUUT_OIDC_CLIENT_ID", "").strip(), client_secret=env.get("BUUT_OIDC_CLIENT_SECRET", ""),
            groups_claim=env.get("BUUT_OIDC_GROUPS_CLAIM", "").strip() or "groups",
            session_secret=secret.encode(), session_seconds=seconds,
            origin=next((o.strip().rstrip("/") for o in env.get("BUUT_ORIGIN", "").split(",") if o.strip()), ""))
        if mode == "oidc":
            missing = [name for name, value in (("BUUT_OIDC_ISSUER", settings.issuer),
                                                ("BUUT_OIDC_CLIENT_ID", settings.client_id),
                                                ("BUUT_SESSION_SECRET", secret)) if not value]
            if missing:
                raise LoginConfigError(f"--auth oidc heeft {', '.join(missing)} nodig (zie het handboek, Inloggen).")
            if not settings.issuer.startswith(("https://", "http://")):
                raise LoginConfigError(f"BUUT_OIDC_ISSUER moet een adres zijn (https://…), niet '{settings.issuer}'.")
        if secret and mode != "none" and len(secret) < MIN_SECRET:
            raise LoginConfigError(f"BUUT_SESSION_SECRET is te kort: gebruik minstens {MIN_SECRET} willekeurige tekens "
                                   "(bijvoorbeeld: python3 -c 'import secrets; print(secrets.token_urlsafe(48))').")
        return settings

    def warnings(self) -> list[str]:
        """What an operator should know at start-up (Dutch)."""
        found = []
        if self.mode != "none" and not self.redactie_groups:
            found.append("Let op: BUUT_GROEP_REDACTIE is leeg, dus niemand is redacteur: /redactie/ en "
                         "/api/redactie geven iedereen 403.")
        if self.mode == "proxy" and not self.session_secret:
            found.append("Let op: zonder BUUT_SESSION_SECRET kiest deze server zelf een geheim; draai je meer dan "
                         "één server, geef ze dan hetzelfde BUUT_SESSION_SECRET (anders mislukt afhandelen soms).")
        return found

    def uses(self, group: str) -> bool:
        return group in self.redactie_groups or any(group == g for _, g in self.eigenaar_groups)


def is_loopback(host: str) -> bool:
    """Whether `buut serve --host HOST` listens only on this machine."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def canonical_path(raw: str) -> str:
    """The path as serve.SiteApp will find its file: decoded (also twice), slashes and dots collapsed,
    so that no spelling of /redactie/ slips past the role check."""
    path = raw
    try:
        path = path.encode("latin-1").decode("utf-8")  # PEP 3333 hands us latin-1
    except UnicodeError:
        pass
    for _ in range(3):
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    path = path.replace("\\", "/")
    return posixpath.normpath("/" + "/".join(p for p in path.split("/") if p)).replace("//", "/")


def editor_only(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in EDITOR_PREFIXES)


# --- signed values (the session cookie, the login flow) ----------------------------------------------

def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(secret: bytes, purpose: str, data: dict) -> str:
    payload = _b64(json.dumps(data, separators=(",", ":")).encode())
    mac = hmac.new(secret, f"{purpose}.{payload}".encode(), hashlib.sha256).digest()
    return f"{payload}.{_b64(mac)}"


def unsign(secret: bytes, purpose: str, value: str, now: float | None = None) -> dict | None:
    """The data of a signed value, or None when it is forged, damaged or past its `exp`."""
    try:
        payload, mac = value.split(".")
        expected = hmac.new(secret, f"{purpose}.{payload}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(_unb64(mac), expected):
            return None
        data = json.loads(_unb64(payload))
    except (ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("exp"), (int, float)):
        return None
    return data if data["exp"] > (time.time() if now is None else now) else None


@dataclass(frozen=True)
class Identity:
    user: str
    groups: tuple[str, ...]
    sid: str  # what the CSRF token is bound to: the session (oidc) or the user (proxy)


# --- the middleware ----------------------------------------------------------------------------------

class Login:
    """WSGI middleware: identity, roles and CSRF in front of the app (see the module docstring)."""

    def __init__(self, app, settings: LoginSettings):
        self.app, self.settings = app, settings
        self.security_headers = getattr(app, "security_headers", lambda: list(SECURITY_HEADERS))
        self._secret = settings.session_secret or secrets.token_bytes(32)
        self._oidc = OidcClient(settings) if settings.mode == "oidc" else None

    def __call__(self, environ, start_response):
        raw = environ.get("PATH_INFO", "/") or "/"
        if self.settings.mode == "none" or raw in OPEN_PATHS or raw in PUBLIC_PATHS:
            return self.app(environ, start_response)
        path = canonical_path(raw)
        try:
            if self._oidc is not None and path in (CALLBACK_PATH, LOGOUT_PATH, LOGGED_OUT_PATH):
                return self._oidc_route(path, environ, start_response)
            identity = self._identity(environ)
            if identity is None:
                return self._unauthenticated(path, environ, start_response)
            return self._authorised(identity, path, environ, start_response)
        except OidcUnavailable as error:
            log.error("inlogdienst niet bereikbaar: %s", error)
            return self._refuse(start_response, path, "503 Service Unavailable", "Inloggen lukt nu niet",
                                "De inlogdienst van de organisatie is nu niet bereikbaar. Probeer het over een paar "
                                "minuten opnieuw.")

    # -- who is it ----------------------------------------------------------------------------

    def _identity(self, environ) -> Identity | None:
        if self.settings.mode == "proxy":
            try:
                peer = ipaddress.ip_address(environ.get("REMOTE_ADDR", ""))
            except ValueError:
                return None
            if not any(peer in network for network in self.settings.trusted_proxies):
                return None  # headers from anyone else are not believed
            user = _header(environ, "HTTP_X_FORWARDED_USER")
            if not user:
                return None
            groups = tuple(g.strip() for g in _header(environ, "HTTP_X_FORWARDED_GROUPS").split(",") if g.strip())
            if _header(environ, "HTTP_X_FORWARDED_EMAIL"):
                environ["buut.email"] = _header(environ, "HTTP_X_FORWARDED_EMAIL")
            return Identity(user, groups, "proxy:" + user)
        value = _cookie(environ, SESSION_COOKIE)
        data = unsign(self._secret, "sessie", value) if value else None
        if data is None or not isinstance(data.get("sub"), str) or not isinstance(data.get("grp"), list):
            return None
        return Identity(data["sub"], tuple(str(g) for g in data["grp"]), "oidc:" + str(data.get("sid", "")))

    def _authorised(self, identity: Identity, path: str, environ, start_response):
        settings = self.settings
        redacteur = bool(settings.redactie_groups.intersection(identity.groups))
        csrf = _b64(hmac.new(self._secret, ("csrf." + identity.sid).encode(), hashlib.sha256).digest())
        environ.update({"buut.user": identity.user, "buut.groups": identity.groups, "buut.redacteur": redacteur,
                        "buut.csrf": csrf,
                        "buut.eigenaren": tuple(dict.fromkeys(e for e, g in settings.eigenaar_groups
                                                              if g in identity.groups))})
        if editor_only(path) and not redacteur:
            return self._refuse(start_response, path, "403 Forbidden", "Alleen voor redacteuren",
                                "Deze pagina en de werklijst zijn alleen voor redacteuren. Ben je redacteur? Vraag "
                                "dan of je wordt toegevoegd aan de groep van de redactie.")
        if environ.get("REQUEST_METHOD") == "POST" and path == HANDLE_PATH:
            sent = _header(environ, CSRF_HEADER)
            if not sent or not hmac.compare_digest(sent.encode(), csrf.encode()):
                return self._refuse(start_response, path, "403 Forbidden", "Verzoek geweigerd",
                                    "Dit verzoek mist de controlecode van je sessie en is geweigerd. Laad de pagina "
                                    "Redactie opnieuw en probeer het nog eens.")
        return self.app(environ, start_response)

    def _unauthenticated(self, path: str, environ, start_response):
        page = environ.get("REQUEST_METHOD", "GET") in ("GET", "HEAD") and not path.startswith("/api/")
        if self._oidc is not None and page:
            return self._oidc.start(environ, start_response, self._secret, self.security_headers(), path)
        return self._refuse(start_response, path, "401 Unauthorized", "Inloggen nodig",
                            "Je bent niet ingelogd. Open het intranet opnieuw via de link van je organisatie, "
                            "dan kun je inloggen.")

    def _refuse(self, start_response, path: str, status: str, title: str, message: str, extra=()):
        if path.startswith("/api/"):
            body = json.dumps({"fout": message}, ensure_ascii=False).encode()
            kind = "application/json; charset=utf-8"
        else:
            body = _page(title, message).encode()
            kind = "text/html; charset=utf-8"
        headers = [("Content-Type", kind), ("Content-Length", str(len(body))), ("Cache-Control", "no-store"),
                   *self.security_headers(), *extra]
        if status.startswith("401"):
            headers.append(("WWW-Authenticate", 'Cookie realm="BUUT"' if self._oidc else 'Proxy realm="BUUT"'))
        start_response(status, headers)
        return [body]

    # -- oidc routes --------------------------------------------------------------------------

    def _oidc_route(self, path: str, environ, start_response):
        if path == CALLBACK_PATH:
            return self._oidc.finish(environ, start_response, self._secret, self.security_headers(), self._refuse)
        if path == LOGOUT_PATH:
            return self._oidc.logout(environ, start_response, self.security_headers())
        body = _page("Uitgelogd", "Je bent uitgelogd bij BUUT.", ("/", "Opnieuw inloggen")).encode()
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))),
                                  ("Cache-Control", "no-store"), *self.security_headers()])
        return [body]


class OidcUnavailable(Exception):
    """The provider cannot be reached (its metadata, its token endpoint)."""


class OidcClient:
    """BUUT as an OpenID Connect client: authlib makes the authorization URL (with PKCE and a nonce),
    exchanges the code and validates the ID token; the state of a login in progress lives in a signed,
    short-lived cookie, so the callback may reach another server process than the start."""

    def __init__(self, settings: LoginSettings):
        from authlib.integrations.base_client import BaseApp, OAuth2Mixin, OpenIDMixin
        from authlib.integrations.requests_client import OAuth2Session

        class _NoTokenStore:
            def update_token(self, *args, **kwargs):  # BUUT keeps no provider tokens
                pass

        class _App(OAuth2Mixin, OpenIDMixin, BaseApp):
            client_cls = OAuth2Session

        self.settings = settings
        self.app = _App(_NoTokenStore(), name="buut", client_id=settings.client_id,
                        client_secret=settings.client_secret or None,
                        server_metadata_url=settings.issuer + "/.well-known/openid-configuration",
                        client_kwargs={"scope": "openid", "code_challenge_method": "S256", "timeout": 10,
                                       **({} if settings.client_secret else
                                          {"token_endpoint_auth_method": "none"})})

    def _base(self, environ) -> str:
        return self.settings.origin or f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"

    def _metadata(self) -> dict:
        try:
            return self.app.load_server_metadata()
        except Exception as error:  # noqa: BLE001 - requests' and authlib's errors alike
            raise OidcUnavailable(f"{self.settings.issuer}: {error}") from None

    def start(self, environ, start_response, secret: bytes, headers, path: str):
        """Send the browser to the provider; remember state, PKCE verifier, nonce and the page."""
        self._metadata()
        query = environ.get("QUERY_STRING", "")
        target = path + ("/" if environ.get("PATH_INFO", "").endswith("/") and path != "/" else "")
        target += ("?" + query[:1000]) if query else ""
        try:
            flow = self.app.create_authorization_url(self._base(environ) + CALLBACK_PATH)
        except Exception as error:  # noqa: BLE001
            raise OidcUnavailable(str(error)) from None
        cookie = sign(secret, "inlog", {"state": flow["state"], "verifier": flow["code_verifier"],
                                        "nonce": flow["nonce"], "next": target, "exp": int(time.time()) + FLOW_SECONDS})
        start_response("302 Found", [("Location", flow["url"]), ("Content-Length", "0"), ("Cache-Control", "no-store"),
                                     ("Set-Cookie", _set_cookie(FLOW_COOKIE, cookie, FLOW_SECONDS)), *headers])
        return [b""]

    def finish(self, environ, start_response, secret: bytes, headers, refuse):
        """The provider sends the browser back with a code: exchange it, check the ID token, set the session."""
        params = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        value = _cookie(environ, FLOW_COOKIE)
        flow = unsign(secret, "inlog", value) if value else None
        again = "Probeer het opnieuw vanaf de startpagina."
        if "error" in params:
            log.warning("inlogdienst weigerde: %s %s", params.get("error"), params.get("error_description", "")[:200])
            return refuse(start_response, CALLBACK_PATH, "401 Unauthorized", "Inloggen is niet gelukt",
                          "De inlogdienst heeft het inloggen niet toegestaan. " + again)
        if flow is None or not params.get("code") or not hmac.compare_digest(
                params.get("state", "").encode(), str(flow.get("state", "")).encode()):
            return refuse(start_response, CALLBACK_PATH, "400 Bad Request", "Inloggen is niet gelukt",
                          "Dit inlogverzoek is verlopen of hoort niet bij deze browser. " + again)
        self._metadata()
        try:
            token = self.app.fetch_access_token(self._base(environ) + CALLBACK_PATH, code=params["code"],
                                                code_verifier=flow["verifier"])
            claims = self.app.parse_id_token(token, nonce=flow["nonce"])
        except Exception as error:  # noqa: BLE001 - a refused code, a bad token, an unreachable provider
            log.warning("inloggen mislukt: %s", error)
            return refuse(start_response, CALLBACK_PATH, "401 Unauthorized", "Inloggen is niet gelukt",
                          "De inlogdienst gaf geen geldige aanmelding terug. " + again)
        if not claims or not claims.get("sub"):
            return refuse(start_response, CALLBACK_PATH, "401 Unauthorized", "Inloggen is niet gelukt",
                          "De inlogdienst gaf geen gebruiker terug. " + again)
        raw_groups = claims.get(self.settings.groups_claim) or []
        if isinstance(raw_groups, str):
            raw_groups = [raw_groups]
        # Only the groups BUUT uses go into the cookie: an Entra ID account can be in hundreds.
        groups = sorted({str(g) for g in raw_groups if self.settings.uses(str(g))})
        session = sign(secret, "sessie", {"sub": str(claims["sub"]), "grp": groups, "sid": secrets.token_urlsafe(12),
                                          "exp": int(time.time()) + self.settings.session_seconds})
        target = str(flow.get("next") or "/")
        if not target.startswith("/") or target.startswith("//"):
            target = "/"
        start_response("302 Found", [("Location", target), ("Content-Length", "0"), ("Cache-Control", "no-store"),
                                     ("Set-Cookie", _set_cookie(SESSION_COOKIE, session, self.settings.session_seconds)),
                                     ("Set-Cookie", _set_cookie(FLOW_COOKIE, "", 0)), *headers])
        return [b""]

    def logout(self, environ, start_response, headers):
        """Forget the session here, and at the provider when it offers an end_session_endpoint."""
        after = self._base(environ) + LOGGED_OUT_PATH
        try:
            location = self.app.create_logout_url(post_logout_redirect_uri=after,
                                                  client_id=self.settings.client_id)["url"]
        except Exception:  # noqa: BLE001 - no end_session_endpoint, or the provider is away: log out here
            location = LOGGED_OUT_PATH
        start_response("302 Found", [("Location", location), ("Content-Length", "0"), ("Cache-Control", "no-store"),
                                     ("Set-Cookie", _set_cookie(SESSION_COOKIE, "", 0)), *headers])
        return [b""]


def _header(environ, key: str) -> str:
    value = environ.get(key, "")
    try:
        value = value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass
    return value.strip()[:1000]


def _cookie(environ, name: str) -> str:
    try:
        jar = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    except CookieError:
        return ""
    return jar[name].value if name in jar else ""


def _set_cookie(name: str, value: str, seconds: int) -> str:
    return f"{name}={value}; Path=/; Max-Age={seconds}; HttpOnly; Secure; SameSite=Lax"


def _page(title: str, message: str, link: tuple[str, str] = ("/", "Naar de startpagina")) -> str:
    return ("<!doctype html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)} – BUUT</title></head>\n<body><main><h1>{html.escape(title)}</h1>"
            f"<p>{html.escape(message)}</p><p><a href=\"{html.escape(link[0])}\">{html.escape(link[1])}</a></p>"
            "</main></body></html>\n")
