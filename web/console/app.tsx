import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Principal } from '../../lambdas/domain/access/roles.js';
import { createAdminClient, type Response } from './api.js';
import type { ConsoleAuth } from './auth.js';
import type { ConsoleConfig } from './config.js';
import { Console, type ConsoleContext } from './context.js';
import { href, match, useRoute } from './router.js';
import { SCREENS, visibleNav } from './screens/index.js';
import { SignIn } from './sign-in.js';
import { Empty, ErrorNotice, Progress } from './ui.js';

type Session =
  { state: 'checking' } | { state: 'signed-out'; reason?: string } | { state: 'signed-in'; me: Principal };

const principalOf = (me: Response<'GET /admin/v1/me'>): Principal => ({
  userId: me.userId,
  displayName: me.displayName,
  roles: new Set(me.roles),
  channels: new Set(me.channels),
});

/**
 * The console: signs in, reads who is signed in (`GET /me`) and shows the screens their roles
 * allow. When the API ends the session (401), the sign-in form opens over the screen instead of
 * replacing it, so a form being edited keeps what was typed.
 */
export function App({ config, auth }: { config: ConsoleConfig; auth: ConsoleAuth }) {
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [expired, setExpired] = useState(false);
  const [loadError, setLoadError] = useState<unknown>();
  const api = useMemo(
    () =>
      createAdminClient({
        baseUrl: config.apiUrl,
        idToken: () => auth.idToken(),
        onUnauthorized: () => setExpired(true),
      }),
    [config, auth],
  );

  const loadMe = async () => {
    setLoadError(undefined);
    try {
      if (!(await auth.idToken())) return setSession({ state: 'signed-out' });
      setSession({ state: 'signed-in', me: principalOf(await api('GET /admin/v1/me')) });
      setExpired(false);
    } catch (error) {
      setLoadError(error);
      setSession({ state: 'signed-out' });
    }
  };
  useEffect(() => void loadMe(), []);

  const signOut = async () => {
    await auth.signOut();
    setSession({ state: 'signed-out', reason: 'You signed out.' });
  };

  if (session.state === 'checking') return <Progress label="Opening the console…" />;
  if (session.state === 'signed-out') {
    return (
      <div class="signin-page">
        <ErrorNotice error={loadError} />
        <SignIn config={config} auth={auth} onSignedIn={loadMe} notice={session.reason} />
      </div>
    );
  }
  const context: ConsoleContext = { config, api, me: session.me };
  return (
    <Console.Provider value={context}>
      <Shell me={session.me} stage={config.stage} onSignOut={signOut} />
      {expired ? (
        <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="signin-title">
          <SignIn
            config={config}
            auth={auth}
            onSignedIn={loadMe}
            notice="Your session has ended. Sign in again; what you typed is kept."
          />
        </div>
      ) : null}
    </Console.Provider>
  );
}

function Shell({ me, stage, onSignOut }: { me: Principal; stage: string; onSignOut: () => void }) {
  const path = useRoute();
  const found = SCREENS.map((screen) => ({ screen, params: match(screen.pattern, path) })).find(
    (m) => m.params,
  );
  const allowed = found && (!found.screen.allowed || found.screen.allowed(me));
  useEffect(() => {
    document.title = `${found?.screen.title ?? 'Not found'} · Hybrid live chat console`;
  }, [found?.screen.title]);
  return (
    <div class="app">
      <header class="topbar">
        <a class="brand" href={href('/rooms')}>
          Hybrid live chat <span class="brand-sub">console</span>
        </a>
        <span class={`stage stage-${stage === 'prod' ? 'prod' : 'other'}`}>{stage}</span>
        <span class="who">
          <span class="who-name">{me.displayName}</span>
          <span class="who-roles">
            {[...me.roles].join(', ')}
            {me.channels.size ? ` · ${[...me.channels].join(', ')}` : ''}
          </span>
        </span>
        <button type="button" class="button button-quiet" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <nav class="sidebar" aria-label="Console">
        <ul>
          {visibleNav(me).map((item) => (
            <li key={item.path}>
              <a href={href(item.path)} aria-current={path.startsWith(item.path) ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main class="content" id="main">
        {found && allowed ? (
          found.screen.render(found.params!)
        ) : (
          <Empty title={found ? 'Your role cannot open this page.' : 'There is no such page.'}>
            <a href={href('/rooms')}>Go to the rooms</a>
          </Empty>
        )}
      </main>
    </div>
  );
}
