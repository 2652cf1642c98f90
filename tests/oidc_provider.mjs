// A real OpenID provider on 127.0.0.1 for tests/test_browser_login.py: npm's oidc-provider (package.json)
// with its development login form (any login and password is accepted; the login is the account id).
//
//   node tests/oidc_provider.mjs            prints "PORT <n>" once it listens on a free port
//
// Settings from the environment:
//   OIDC_REDIRECT_URIS    comma-separated redirect URIs of the one client (BUUT's /inloggen/terug)
//   OIDC_LOGOUT_URIS      comma-separated post-logout redirect URIs (BUUT's /uitgelogd)
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET
//   OIDC_SESSION_SECONDS  how long the provider's own login session lasts (default 600)
//
// Groups: an account whose id starts with "redacteur" is in "grp-redactie"; one whose id contains "-wi"
// is also in "grp-wi"; any other account is in no group (a medewerker).
import http from 'node:http';
import Provider from 'oidc-provider';

const list = (name) => (process.env[name] || '').split(',').map((s) => s.trim()).filter(Boolean);

function groupsOf(id) {
  const groups = [];
  if (id.startsWith('redacteur')) groups.push('grp-redactie');
  if (id.includes('-wi')) groups.push('grp-wi');
  return groups;
}

let handler = (req, res) => { res.statusCode = 503; res.end(); };
const server = http.createServer((req, res) => handler(req, res));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const sessionSeconds = Number(process.env.OIDC_SESSION_SECONDS || 600);
  const provider = new Provider(issuer, {
    clients: [{
      client_id: process.env.OIDC_CLIENT_ID || 'buut',
      client_secret: process.env.OIDC_CLIENT_SECRET || 'geheim',
      redirect_uris: list('OIDC_REDIRECT_URIS'),
      post_logout_redirect_uris: list('OIDC_LOGOUT_URIS'),
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }],
    claims: { openid: ['sub', 'groups'] },
    conformIdTokenClaims: false, // the groups go into the ID token, as Entra ID and Keycloak can do
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    ttl: { Session: sessionSeconds, Interaction: 600, Grant: 600, AccessToken: 60, IdToken: 60,
           AuthorizationCode: 60 },
    cookies: { keys: ['tests-only-cookie-key'] },
    async findAccount(ctx, id) {
      return { accountId: id, async claims() { return { sub: id, groups: groupsOf(id) }; } };
    },
    // BUUT is a first-party client: no consent screen after the login form.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid');
      grant.addOIDCClaims(['sub', 'groups']);
      await grant.save();
      return grant;
    },
  });
  handler = provider.callback();
  process.stdout.write(`PORT ${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
