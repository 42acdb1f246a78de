import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { launchChromium, pageErrors } from '../helpers/browser.js';
import { accessibilityViolations, openConsole, saveScreenshot } from '../helpers/console.js';

/**
 * The console's shell in Chromium: signing in as AWS asks for it (temporary password, new password,
 * TOTP enrolment, then a code every time) against the local user pool, signing out, a session the
 * API ends while a page is open, and an accessibility scan of each sign-in step.
 */
let stack: LocalStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
let people = 0;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startLocalStack({ seed: false }), launchChromium()]);
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function newPage(colorScheme: 'light' | 'dark' = 'light') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme });
  contexts.push(context);
  const page = await context.newPage();
  return { page, errors: pageErrors(page) };
}

/** An account as an administrator creates it in AWS: temporary password, TOTP required. */
async function invite(roles: string[], channels: string[] = []) {
  const email = `person-${++people}-${Date.now().toString(36)}@example.com`;
  const temporaryPassword = 'Temporary-Pass-1!';
  const res = await fetch(`${stack.edgeUrl}/local/admin-users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: `Person ${people}`, roles, channels, temporaryPassword, mfa: true }),
  });
  expect(res.status).toBe(201);
  return { email, temporaryPassword };
}

const codeFor = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret) }).generate();

async function submitPassword(page: Page, email: string, password: string) {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

describe('the console shell', () => {
  it('signs a new account in as Cognito asks: new password, TOTP enrolment, then a code at each sign-in', async () => {
    const { page, errors } = await newPage();
    const { email, temporaryPassword } = await invite(['moderator'], ['ch-a']);
    await page.goto(`${stack.edgeUrl}/console/`);

    await submitPassword(page, email, temporaryPassword);
    const newPassword = page.getByLabel('New password');
    await newPassword.fill('short');
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('That password is not allowed');
    await newPassword.fill('Chosen-Password-42!');
    await page.getByRole('button', { name: 'Set password' }).click();

    const key = page.locator('code.secret');
    await key.waitFor();
    await saveScreenshot(page, 'console-totp-setup');
    expect(await page.locator('.qr svg').count()).toBe(1);
    const secret = (await key.textContent())!.trim();
    await page.getByLabel('Code from the app').fill('000000' === codeFor(secret) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('That code is wrong');
    await page.getByLabel('Code from the app').fill(codeFor(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();

    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.locator('.who-roles').textContent()).toBe('moderator · ch-a');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('You signed out.');

    await submitPassword(page, email, 'Chosen-Password-42!');
    await page.getByLabel('Authenticator code').fill(codeFor(secret));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('says in words that a password is wrong, and signs nobody in', async () => {
    const { page, errors } = await newPage();
    const { email } = await invite(['operator']);
    await page.goto(`${stack.edgeUrl}/console/`);
    await submitPassword(page, email, 'Not-The-Password-1!');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('The e-mail address or password is wrong. Check both and try again.');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('keeps a signed-in person signed in across a reload', async () => {
    const { page, errors } = await openConsole(browser, stack, ['operator']);
    contexts.push(page.context());
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.locator('.who-roles').textContent()).toBe('operator');
    expect(errors).toEqual([]);
  });

  it('opens the sign-in form over the page when the API ends the session, and closes it once signed in again', async () => {
    const { page, errors } = await openConsole(browser, stack, ['operator']);
    contexts.push(page.context());
    await page.route('**/admin/v1/**', (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ code: 'unauthorized', message: 'Sign in.', retryable: false }),
      }),
    );
    await page.evaluate(() => (location.hash = '#/rooms/some-room'));
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Your session has ended');
    // The page is still there underneath.
    expect(await page.locator('.topbar').count()).toBe(1);
    await page.unroute('**/admin/v1/**');
    const dev = dialog.locator('form.dev-signin');
    await dev.getByRole('button', { name: 'Create and sign in' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });

  it('refuses pages a role may not open, in words', async () => {
    const { page, errors } = await openConsole(browser, stack, ['artist'], ['ch-a'], { path: '/nowhere' });
    contexts.push(page.context());
    await expect.poll(() => page.locator('.empty-title').textContent()).toBe('There is no such page.');
    expect(errors).toEqual([]);
  });

  it.each(['light', 'dark'] as const)(
    'passes an accessibility scan (axe-core) at each sign-in step and in the shell, %s theme',
    async (theme) => {
      const { page } = await newPage(theme);
      const { email, temporaryPassword } = await invite(['operator']);
      await page.goto(`${stack.edgeUrl}/console/`);
      await page.getByLabel('E-mail').waitFor();
      if (theme === 'light') await saveScreenshot(page, 'console-sign-in');
      expect(await accessibilityViolations(page)).toEqual([]);
      await submitPassword(page, email, temporaryPassword);
      await page.getByLabel('New password').fill('Chosen-Password-42!');
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.locator('code.secret').waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await page
        .getByLabel('Code from the app')
        .fill(codeFor((await page.locator('code.secret').textContent())!));
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await page.locator('table, .empty').first().waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
    },
  );
});
