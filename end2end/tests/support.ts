// Shared helpers of the Stepdesk browser tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';

export const PASSWORD = 'stepdesk-demo';
export const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');
/** Makes this run's case titles unique. */
export const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
/** How long the workflow may take to hand over the next task or end a case. */
export const WORKFLOW = 20_000;

// Sets `window.__e2eWasmReady` once the wasm bundle is instantiated and
// `hydrate()` has been called: the hydration script calls it in a promise chain
// right after instantiation, so a zero-delay timer queued when instantiation
// resolves runs after it. (It says nothing about whether hydration succeeded:
// the console does, see `browserErrors`.)
const WASM_PROBE = `(() => {
  const mark = (p) => p.then((r) => { setTimeout(() => { window.__e2eWasmReady = true; }, 0); return r; });
  const streaming = WebAssembly.instantiateStreaming;
  if (streaming) {
    WebAssembly.instantiateStreaming = function (...args) { return mark(streaming.apply(this, args)); };
  }
  const plain = WebAssembly.instantiate;
  WebAssembly.instantiate = function (...args) { return mark(plain.apply(this, args)); };
})();`;

const errors = new WeakMap<Page, string[]>();

/** Console errors and uncaught exceptions a page logged since it was opened (or since `clearBrowserErrors`). */
export function browserErrors(page: Page): string[] {
  return errors.get(page) ?? [];
}

export function clearBrowserErrors(page: Page): void {
  errors.set(page, []);
}

/** A fresh browser context (its own cookies) and a page in it. */
export async function newSession(browser: Browser): Promise<Session> {
  const context = await browser.newContext();
  await context.addInitScript(WASM_PROBE);
  const page = await context.newPage();
  errors.set(page, []);
  page.on('console', (m) => {
    if (m.type() === 'error') browserErrors(page).push(`console: ${m.text().split('\n')[0]}`);
  });
  page.on('pageerror', (e) => browserErrors(page).push(`uncaught: ${e.message}`));
  return { context, page };
}

/** Waits until the page has loaded, its wasm ran, and the network is quiet. */
export async function waitReady(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(
    () => (window as unknown as { __e2eWasmReady?: boolean }).__e2eWasmReady === true,
    null,
    { timeout: 30_000 },
  );
  await page.waitForLoadState('networkidle');
}

export async function go(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitReady(page);
}

export async function reload(page: Page): Promise<void> {
  await page.reload();
  await waitReady(page);
}

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Runs `check` until it passes, reloading the page between attempts, for up
 * to `timeout` ms. `check` should use short expectation timeouts. `again`
 * reloads (by default waiting for hydration; a page without scripts passes
 * a plain reload).
 */
export async function until(
  page: Page,
  check: () => Promise<void>,
  timeout = WORKFLOW,
  again: (page: Page) => Promise<unknown> = reload,
): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await page.waitForTimeout(500);
    await again(page);
  }
}

export type Session = { context: BrowserContext; page: Page };

/** Signs `user` in on `page` and waits for My work. */
export async function signInOn(page: Page, user: string): Promise<void> {
  await go(page, '/login');
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1, name: 'My work' })).toBeVisible();
  await expect(page.locator('.who-name')).toHaveText(user);
  await waitReady(page);
}

/** Signs `user` in, in a fresh browser context, and lands on My work. */
export async function signIn(browser: Browser, user: string): Promise<Session> {
  const session = await newSession(browser);
  await signInOn(session.page, user);
  return session;
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
}

export function nav(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Main' });
}

/** The steps-as-text line of `state` in the workflow graph, which carries its mark. */
export function stepLine(page: Page, state: string): Locator {
  return page.locator('.graph-steps li', { hasText: state }).first();
}
