import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
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

/**
 * axe-core's serious and critical violations in `selector` of the page, as readable lines. axe is
 * evaluated through the DevTools protocol, which the page's CSP does not govern, so the scan runs on
 * the page exactly as served.
 */
export async function accessibilityViolations(page: Page, selector = 'body'): Promise<string[]> {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  return page.evaluate(async (scope) => {
    const axe = (
      window as unknown as {
        axe: {
          run: (context: Element) => Promise<{
            violations: {
              id: string;
              impact?: string | null;
              help: string;
              nodes: { failureSummary?: string; html: string }[];
            }[];
          }>;
        };
      }
    ).axe;
    const results = await axe.run(document.querySelector(scope)!);
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.failureSummary ?? n.html).join(' | ')}`);
  }, selector);
}
let axeSource: string | undefined;

/**
 * README's pictures (docs/<name>.png), retaken by `npm run screenshots` (UPDATE_SCREENSHOTS=1) from
 * the states the browser tests set up; an ordinary test run writes nothing.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (!process.env.UPDATE_SCREENSHOTS) return;
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: `docs/${name}.png` });
}
