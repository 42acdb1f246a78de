import qrcode from 'qrcode-generator';
import { useState } from 'preact/hooks';
import { ROLES, type Role } from '../../lambdas/domain/access/roles.js';
import { authErrorMessage, type ConsoleAuth, type SignInStep } from './auth.js';
import type { ConsoleConfig } from './config.js';
import { Field } from './ui.js';

interface Props {
  readonly config: ConsoleConfig;
  readonly auth: ConsoleAuth;
  readonly onSignedIn: () => void;
  readonly notice?: string | undefined;
}

/**
 * Sign-in to the admin user pool: e-mail and password, then whatever the pool asks — a new
 * password for a temporary one, TOTP enrolment the first time, the authenticator code after.
 * Locally the dev panel creates a user with the roles and channels picked, then signs in through
 * the very same steps.
 */
export function SignIn({ config, auth, onSignedIn, notice }: Props) {
  const [step, setStep] = useState<SignInStep | { step: 'password' }>({ step: 'password' });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async (attempt: () => Promise<SignInStep>) => {
    setBusy(true);
    setError(undefined);
    try {
      const next = await attempt();
      if (next.step === 'done') onSignedIn();
      else setStep(next);
    } catch (caught) {
      setError(authErrorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="signin">
      <h1 id="signin-title">Sign in to the console</h1>
      {notice ? (
        <p class="notice notice-info" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      {step.step === 'password' ? (
        <PasswordForm busy={busy} onSubmit={(email, password) => run(() => auth.signIn(email, password))} />
      ) : step.step === 'newPassword' ? (
        <AnswerForm
          key="new-password"
          busy={busy}
          label="New password"
          type="password"
          hint="Your password was temporary. Choose one of at least 12 characters with upper and lower case letters, a digit and a symbol."
          submit="Set password"
          onSubmit={(answer) => run(() => auth.confirm(answer))}
        />
      ) : step.step === 'totpSetup' ? (
        <div>
          <p>
            Every sign-in needs a code from an authenticator app. Scan this code with the app, or enter the
            key by hand.
          </p>
          <TotpQr uri={step.uri} />
          <p>
            Key: <code class="mono secret">{step.secret}</code>
          </p>
          <AnswerForm
            key="totp-setup"
            busy={busy}
            label="Code from the app"
            type="text"
            hint="6 digits."
            submit="Confirm"
            onSubmit={(answer) => run(() => auth.confirm(answer))}
          />
        </div>
      ) : step.step === 'totpCode' ? (
        <AnswerForm
          key="totp"
          busy={busy}
          label="Authenticator code"
          type="text"
          hint="The 6 digits your authenticator app shows for this console."
          submit="Sign in"
          onSubmit={(answer) => run(() => auth.confirm(answer))}
        />
      ) : null}
      {config.devUsersUrl && step.step === 'password' ? (
        <DevSignIn
          usersUrl={config.devUsersUrl}
          busy={busy}
          onCreated={(email, password) => run(() => auth.signIn(email, password))}
          onError={setError}
        />
      ) : null}
    </div>
  );
}

function PasswordForm({
  busy,
  onSubmit,
}: {
  busy: boolean;
  onSubmit: (email: string, password: string) => void;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  return (
    <form
      class="form"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(email.trim(), password);
      }}
    >
      <Field id="email" label="E-mail">
        <input
          id="email"
          type="email"
          autocomplete="username"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
      </Field>
      <Field id="password" label="Password">
        <input
          id="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </Field>
      <button type="submit" class="button button-primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

function AnswerForm(props: {
  busy: boolean;
  label: string;
  type: 'text' | 'password';
  hint: string;
  submit: string;
  onSubmit: (answer: string) => void;
}) {
  const [value, setValue] = useState('');
  return (
    <form
      class="form"
      onSubmit={(event) => {
        event.preventDefault();
        props.onSubmit(value.trim());
      }}
    >
      <Field id="answer" label={props.label} hint={props.hint}>
        {props.type === 'password' ? (
          <input
            id="answer"
            type="password"
            autocomplete="new-password"
            aria-describedby="answer-hint"
            required
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
          />
        ) : (
          <input
            id="answer"
            type="text"
            autocomplete="one-time-code"
            inputMode="numeric"
            pattern="[0-9]{6}"
            aria-describedby="answer-hint"
            required
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
          />
        )}
      </Field>
      <button type="submit" class="button button-primary" disabled={props.busy}>
        {props.busy ? 'Checking…' : props.submit}
      </button>
    </form>
  );
}

/** The otpauth:// URI as a QR code, drawn as SVG paths (no inline styles: the CSP allows none). */
function TotpQr({ uri }: { uri: string }) {
  const code = qrcode(0, 'M');
  code.addData(uri);
  code.make();
  const svg = code.createSvgTag({ cellSize: 4, margin: 4, scalable: true });
  return (
    <div
      class="qr"
      role="img"
      aria-label="QR code of the authenticator key"
      dangerouslySetInnerHTML={{ __html: svg }}
    />
  );
}

/** Local only: a user with the roles and channels picked, created in the dev user pool. */
function DevSignIn(props: {
  usersUrl: string;
  busy: boolean;
  onCreated: (email: string, password: string) => void;
  onError: (message: string) => void;
}) {
  const [roles, setRoles] = useState<Role[]>(['operator']);
  const [channels, setChannels] = useState('');
  const create = async (event: Event) => {
    event.preventDefault();
    const channelList = channels
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    const name = `Dev ${roles.join(' + ')}${channelList.length ? ` (${channelList.join(', ')})` : ''}`;
    const email = `dev-${roles.join('-')}-${crypto.randomUUID().slice(0, 8)}@local.test`;
    const password = `Dev-${crypto.randomUUID()}`;
    const response = await fetch(props.usersUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, name, roles, channels: channelList, password }),
    }).catch(() => undefined);
    if (!response?.ok) {
      const body = (await response?.json().catch(() => undefined)) as { message?: string } | undefined;
      props.onError(body?.message ?? 'The local user pool did not answer. Is `npm start` running?');
      return;
    }
    props.onCreated(email, password);
  };
  return (
    <form class="form dev-signin" onSubmit={create} aria-labelledby="dev-title">
      <h2 id="dev-title">Local: sign in as a new dev user</h2>
      <p class="hint">
        Creates a user in the local user pool with these roles and channels, then signs in as it.
      </p>
      <fieldset>
        <legend>Roles</legend>
        {ROLES.map((role) => (
          <label key={role} class="check">
            <input
              type="checkbox"
              name="role"
              value={role}
              checked={roles.includes(role)}
              onChange={(e) =>
                setRoles(e.currentTarget.checked ? [...roles, role] : roles.filter((r) => r !== role))
              }
            />
            {role}
          </label>
        ))}
      </fieldset>
      <Field
        id="dev-channels"
        label="Channels"
        hint="Comma-separated channel ids; moderators and artists act only there."
      >
        <input
          id="dev-channels"
          value={channels}
          aria-describedby="dev-channels-hint"
          onInput={(e) => setChannels(e.currentTarget.value)}
        />
      </Field>
      <button type="submit" class="button" disabled={props.busy || roles.length === 0}>
        Create and sign in
      </button>
    </form>
  );
}
