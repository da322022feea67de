import { expect, test } from '@playwright/test';
import { browserErrors, clearBrowserErrors, go, newSession, signInOn } from './support';

// Every page hydrates: the wasm takes over the server-rendered HTML without a
// console error or a panic. Without hydration the forms still work (plain POSTs)
// but nothing reactive does: no notices after an action, no self-refreshing
// Next step panel, no tabs on My work.

test('the sign-in page hydrates without errors', async ({ browser }) => {
  const { context, page } = await newSession(browser);
  await go(page, '/login');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(browserErrors(page), 'console errors on /login').toEqual([]);
  await context.close();
});

test('the signed-in pages hydrate without errors', async ({ browser }) => {
  const { context, page } = await newSession(browser);
  await signInOn(page, 'ada');
  const problems: string[] = [];
  const take = (url: string) => {
    problems.push(...browserErrors(page).map((e) => `${url}: ${e}`));
    clearBrowserErrors(page);
  };
  take('/login, then /');

  await go(page, '/cases');
  take('/cases');
  const first = page.locator('table.table tbody tr a.list-title').first();
  await expect(first).toBeVisible();
  const caseHref = (await first.getAttribute('href'))!;

  for (const url of ['/', '/cases/new', '/escalations', '/admin/users', caseHref]) {
    await go(page, url);
    take(url);
  }
  expect(problems, 'console errors while loading the signed-in pages').toEqual([]);
  await context.close();
});

test('My work tabs switch on click (needs hydration)', async ({ browser }) => {
  const { context, page } = await newSession(browser);
  await signInOn(page, 'olivia');
  await go(page, '/');
  const mine = page.getByRole('tab', { name: 'Assigned to me' });
  const unassigned = page.getByRole('tab', { name: 'Unassigned' });
  await expect(mine).toHaveAttribute('aria-selected', 'true');
  await unassigned.click();
  await expect(unassigned).toHaveAttribute('aria-selected', 'true');
  await expect(mine).toHaveAttribute('aria-selected', 'false');
  // The demo opens four cases waiting for assignment.
  await expect(page.getByRole('tabpanel').locator('li.list-row')).not.toHaveCount(0);
  await context.close();
});
