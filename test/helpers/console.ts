import type { Browser, Page } from 'playwright-core';
import type { Role } from '../../lambdas/domain/access/roles.js';
import type { LocalStack } from '../../local/stack.js';
import { pageErrors } from './browser.js';

export interface ConsolePage {
  readonly page: Page;
  /** Uncaught errors and CSP refusals seen so far (assert empty at the end). */
  readonly errors: string[];
}

/**
 * Opens the console of a local stack in a new browser context and signs in through its dev
 * sign-in panel — a new user of the local user pool with these roles and channels, signed in by
 * aws-amplify as in AWS. Resolves once the signed-in shell shows.
 */
export async function openConsole(
  browser: Browser,
  stack: LocalStack,
  roles: Role[],
  channels: string[] = [],
  options: { path?: string; colorScheme?: 'light' | 'dark' } = {},
): Promise<ConsolePage> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const errors = pageErrors(page);
  await page.goto(`${stack.edgeUrl}/console/${options.path ? `#${options.path}` : ''}`);
  const dev = page.locator('form.dev-signin');
  for (const role of ['operator', 'moderator', 'artist'] as const) {
    const box = dev.getByRole('checkbox', { name: role });
    if ((await box.isChecked()) !== roles.includes(role)) await box.click();
  }
  await dev.getByLabel('Channels').fill(channels.join(', '));
  await dev.getByRole('button', { name: 'Create and sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { page, errors };
}
