import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  RUN,
  WORKFLOW,
  go,
  nav,
  newSession,
  reload,
  shot,
  signIn,
  signOut,
  stepLine,
  until,
  waitReady,
} from './support';

// The life of a case, through the browser: open, claim, work, escalate, decide.
// The tests share cases and run in order against one fresh server (see
// playwright.config.ts).
test.describe.configure({ mode: 'serial' });

/** Cases the tests share: set by one test, used by later ones. */
const shared: {
  closedTitles: string[];
  failedTitle?: string;
} = { closedTitles: [] };

// ---------------------------------------------------------------- helpers
//
// The History entries of people's answers are checked with `expect.soft`: a
// missing entry fails the test but lets the rest of the flow run.

function currentStep(page: Page): Locator {
  return page.getByTestId('current-step');
}

function statusBadge(page: Page): Locator {
  return page.locator('.page-head span.status');
}

function notice(page: Page): Locator {
  return page.getByRole('status');
}

/** The "what" of each timeline entry ("olivia claimed the case", "Workflow succeeded"...). */
function timeline(page: Page): Locator {
  return page.locator('ol.timeline > li .event-what');
}

/** Opens a case through the New case form and returns its id; the page shows the case. */
async function openCase(
  page: Page,
  title: string,
  opts: { description?: string; priority?: string; customerRef?: string; screenshot?: string } = {},
): Promise<string> {
  await go(page, '/cases/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New case' })).toBeVisible();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description').fill(opts.description ?? 'Opened by the browser tests.');
  await page.getByLabel('Priority').selectOption(opts.priority ?? 'normal');
  await page.getByLabel('Customer reference').fill(opts.customerRef ?? `E2E-${RUN}`);
  if (opts.screenshot) await shot(page, opts.screenshot);
  await page.getByRole('button', { name: 'Open case' }).click();
  await expect(page).toHaveURL(/\/cases\/C-[0-9A-Za-z]+$/);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const id = new URL(page.url()).pathname.split('/').pop()!;
  await waitReady(page);
  return id;
}

/** On a case page, as an operator: claims the case once the workflow asks for it. */
async function claim(page: Page, screenshot?: string): Promise<void> {
  const button = page.getByRole('button', { name: 'Claim this case' });
  await expect(button).toBeVisible({ timeout: WORKFLOW });
  await expect(currentStep(page)).toHaveText('AssignCase');
  if (screenshot) await shot(page, screenshot);
  await button.click();
  await expect(notice(page)).toHaveText('You claimed the case: it is in your work list.');
}

/** On a case page, as its assignee: fills the work form once the workflow asks for it. */
async function fillWork(page: Page, resolved: boolean, notes: string): Promise<Locator> {
  const choice = resolved ? 'Resolved: close the case' : 'Not resolved: escalate to a manager';
  await expect(page.getByRole('radio', { name: choice })).toBeVisible({ timeout: WORKFLOW });
  await expect(currentStep(page)).toHaveText('WorkOnCase');
  await page.getByRole('radio', { name: choice }).check();
  await page.getByLabel('Notes', { exact: true }).fill(notes);
  return page.getByRole('button', { name: 'Submit work' });
}

async function work(page: Page, resolved: boolean, notes: string, screenshot?: string): Promise<void> {
  const submit = await fillWork(page, resolved, notes);
  if (screenshot) await shot(page, screenshot);
  await submit.click();
  await expect(notice(page)).toHaveText(
    resolved
      ? 'Recorded as resolved: the case closes.'
      : 'Recorded as not resolved: the case goes to a manager.',
  );
}

/** Fills and submits a Decide form found inside `scope`. */
async function decide(scope: Locator | Page, decision: string, reason: string): Promise<void> {
  await scope.getByRole('radio', { name: decision }).check();
  await scope.getByLabel('Reason (required)').fill(reason);
  await scope.getByRole('button', { name: 'Decide' }).click();
}

/** Waits (reloading) until the case page shows `step` as its current step. */
async function untilStep(page: Page, step: string): Promise<void> {
  await until(page, async () => {
    await expect(currentStep(page)).toHaveText(step, { timeout: 2_000 });
  });
}

/** Waits (reloading) until the case page shows it ended with `status`. */
async function untilEnded(page: Page, status: string): Promise<void> {
  await until(page, async () => {
    await expect(statusBadge(page)).toHaveText(status, { timeout: 2_000 });
    await expect(page.getByText(`This case has ended (${status}). Nothing is waiting.`)).toBeVisible({
      timeout: 2_000,
    });
  });
}

/** Opens a case and takes it to the point where `olivia` works it, escalated. */
async function openAndEscalate(page: Page, title: string): Promise<string> {
  const id = await openCase(page, title);
  await claim(page);
  await work(page, false, 'Tried everything; a manager has to look at it.');
  await untilStep(page, 'EscalateCase');
  return id;
}

// ---------------------------------------------------------------- tests

test('an operator opens, claims and resolves a case, and it closes', async ({ browser }) => {
  const title = `Printer on fire ${RUN}`;

  // Sign-in page, including a wrong password.
  const { context, page: login } = await newSession(browser);
  await go(login, '/login');
  await expect(login.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await shot(login, '01-login');
  await login.getByLabel('User name').fill('olivia');
  await login.getByLabel('Password').fill('not-the-password');
  await login.getByRole('button', { name: 'Sign in' }).click();
  await expect(login.getByRole('alert')).toHaveText('Wrong user name or password.');
  await expect(login).toHaveURL(/\/login/);
  await context.close();

  const { context: ctx, page } = await signIn(browser, 'olivia');
  // An operator's navigation: no Escalations, no Users.
  await expect(nav(page).getByRole('link', { name: 'My work' })).toBeVisible();
  await expect(nav(page).getByRole('link', { name: 'Cases' })).toBeVisible();
  await expect(nav(page).getByRole('link', { name: 'Escalations' })).toHaveCount(0);
  await expect(nav(page).getByRole('link', { name: 'Users' })).toHaveCount(0);
  await expect(page.getByRole('tab', { name: 'Assigned to me' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Unassigned' })).toBeVisible();
  await shot(page, '02-my-work');

  const id = await openCase(page, title, { priority: 'high', screenshot: '03-new-case' });
  await expect(statusBadge(page)).toHaveText('open');
  await expect(timeline(page).filter({ hasText: 'olivia opened the case' })).toHaveCount(1);

  await claim(page, '04-case-assign-step');
  await expect.soft(timeline(page).filter({ hasText: 'olivia claimed the case' })).toHaveCount(1);

  await work(page, true, 'Put the fire out and replaced the fuser.', '05-case-work-step');

  await untilEnded(page, 'closed');
  await expect(timeline(page).filter({ hasText: 'Workflow succeeded' })).toHaveCount(1);
  await expect.soft(timeline(page).filter({ hasText: 'olivia resolved the case' })).toHaveCount(1);
  await expect(timeline(page).filter({ hasText: 'Entered WorkOnCase' }).first()).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.locator('.mono', { hasText: id }).first()).toBeVisible();
  await shot(page, '06-case-closed');

  shared.closedTitles.push(title);
  await ctx.close();
});

test('an unresolved case goes to a manager, who confirms it cannot be resolved', async ({ browser }) => {
  const title = `Server room flooded ${RUN}`;
  const olivia = await signIn(browser, 'olivia');
  const id = await openAndEscalate(olivia.page, title);
  const page = olivia.page;

  await until(page, async () => {
    await expect(statusBadge(page)).toHaveText('escalated', { timeout: 2_000 });
  });
  await expect.soft(timeline(page).filter({ hasText: 'olivia could not resolve the case' })).toHaveCount(1);
  // An operator may not decide: no Decide form, a waiting note instead.
  await expect(page.getByTestId('task-waiting')).toContainText('Decide the escalation: only a manager or an admin may answer this step.');
  await expect(page.getByRole('button', { name: 'Decide' })).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Decide the escalation' })).toHaveCount(0);
  await shot(page, '07-case-escalated-operator');
  await signOut(page);
  await olivia.context.close();

  const maria = await signIn(browser, 'maria');
  await expect(nav(maria.page).getByRole('link', { name: 'Escalations' })).toBeVisible();
  await expect(nav(maria.page).getByRole('link', { name: 'Users' })).toHaveCount(0);
  await nav(maria.page).getByRole('link', { name: 'Escalations' }).click();
  await expect(maria.page).toHaveURL(/\/escalations$/);
  await waitReady(maria.page);
  const article = maria.page.locator('article.escalation', {
    has: maria.page.getByRole('link', { name: title, exact: true }),
  });
  await expect(article).toHaveCount(1);
  await expect(article.getByRole('link', { name: title, exact: true })).toHaveAttribute('href', `/cases/${id}`);
  await expect(article).toContainText('Worked by olivia.');
  await shot(maria.page, '08-escalations');

  await decide(article, 'Confirm it cannot be resolved', 'Hardware is beyond repair; customer informed.');
  await expect(notice(maria.page)).toHaveText('Failure confirmed: the case ends as failed.');
  await expect(maria.page.locator('article.escalation', { hasText: title })).toHaveCount(0);

  await go(maria.page, `/cases/${id}`);
  await untilEnded(maria.page, 'failed');
  await expect(currentStep(maria.page)).toHaveText('JobFailed');
  await expect.soft(timeline(maria.page).filter({ hasText: 'maria confirmed the case cannot be resolved' })).toHaveCount(1);
  await expect(timeline(maria.page).filter({ hasText: /^Workflow failed/ })).toHaveCount(1);
  await shot(maria.page, '09-case-failed');
  shared.failedTitle = title;
  await maria.context.close();
});

test('a manager sends an escalated case back to assignment', async ({ browser }) => {
  const title = `VPN drops every hour ${RUN}`;
  const olivia = await signIn(browser, 'olivia');
  const id = await openAndEscalate(olivia.page, title);

  const maria = await signIn(browser, 'maria');
  await go(maria.page, `/cases/${id}`);
  await expect(currentStep(maria.page)).toHaveText('EscalateCase');
  const form = maria.page.getByRole('form', { name: 'Decide the escalation' });
  await expect(form).toBeVisible({ timeout: WORKFLOW });

  // The escalation is a workflow of its own, started by EscalateCase: the
  // case page links to it, and its graph shows where it waits.
  const runs = maria.page.getByRole('navigation', { name: 'Nested workflows' });
  const runLink = runs.getByRole('link', { name: 'Support escalation (from EscalateCase) · running' });
  await expect(runLink).toBeVisible();
  await expect(stepLine(maria.page, 'EscalateCase')).toHaveAttribute('data-status', 'current');
  await runLink.click();
  await expect(maria.page).toHaveURL(/\?run=/);
  await expect(maria.page.getByRole('heading', { level: 2, name: 'Workflow: Support escalation' })).toBeVisible();
  await expect(runLink).toHaveAttribute('aria-current', 'page');
  await expect(stepLine(maria.page, 'DecideEscalation')).toHaveAttribute('data-status', 'current');
  await expect(form).toBeVisible();
  await shot(maria.page, '10a-nested-escalation');
  await maria.page.getByRole('link', { name: "← The case's workflow" }).click();
  await expect(maria.page).toHaveURL(new RegExp(`/cases/${id}$`));
  await expect(maria.page.getByRole('heading', { level: 2, name: 'Workflow', exact: true })).toBeVisible();
  await expect(stepLine(maria.page, 'EscalateCase')).toHaveAttribute('data-status', 'current');

  await decide(form, 'Send back to assignment', 'Needs a network specialist; reassign.');
  await expect(notice(maria.page)).toHaveText('Sent back to assignment.');

  await untilStep(maria.page, 'AssignCase');
  await expect(statusBadge(maria.page)).toHaveText('open');
  // The case is marked as having been escalated.
  await expect(maria.page.locator('.page-head .badge-flag')).toHaveText('escalated');
  await expect.soft(timeline(maria.page).filter({ hasText: 'maria sent the case back to assignment' })).toHaveCount(1);
  // A manager assigns...
  await expect(maria.page.getByLabel('Assign to')).toBeVisible({ timeout: WORKFLOW });
  await expect(maria.page.getByRole('button', { name: 'Assign', exact: true })).toBeVisible();
  await shot(maria.page, '10-case-back-to-assignment-manager');

  // ...and the operator can claim it again.
  await reload(olivia.page);
  await expect(currentStep(olivia.page)).toHaveText('AssignCase');
  await expect(olivia.page.getByRole('button', { name: 'Claim this case' })).toBeVisible({ timeout: WORKFLOW });

  await maria.context.close();
  await olivia.context.close();
});

test('a double-clicked Submit work records the work once', async ({ browser }) => {
  const title = `Keyboard types twice ${RUN}`;
  const { context, page } = await signIn(browser, 'olivia');
  await openCase(page, title);
  await claim(page);
  const submit = await fillWork(page, true, 'Cleaned the keyboard.');
  await submit.dblclick();

  // Either the second click never reached the server, or it was refused.
  await expect(
    notice(page).or(page.getByRole('alert').filter({ hasText: 'Already completed by olivia.' })).first(),
  ).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasNotText: 'Already completed by olivia.' })).toHaveCount(0);

  await untilEnded(page, 'closed');
  await expect(
    timeline(page).filter({ hasText: 'resolved the case' }),
    'one "resolved the case" entry (2: recorded twice; 0: the answer left no History entry)',
  ).toHaveCount(1);
  await expect(timeline(page).filter({ hasText: 'Workflow succeeded' })).toHaveCount(1);
  shared.closedTitles.push(title);
  await context.close();
});

test('the cases list filters by status', async ({ browser }) => {
  expect(shared.closedTitles.length).toBeGreaterThan(0);
  const { context, page } = await signIn(browser, 'olivia');

  // Through the filter form.
  await nav(page).getByRole('link', { name: 'Cases' }).click();
  await expect(page).toHaveURL(/\/cases$/);
  await waitReady(page);
  await expect(page.getByRole('link', { name: 'New case' })).toBeVisible();
  await page.getByLabel('Status').selectOption('closed');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/[?&]status=closed(&|$)/);
  for (const title of shared.closedTitles) {
    await expect(page.getByRole('link', { name: title, exact: true })).toBeVisible();
  }
  if (shared.failedTitle) {
    await expect(page.getByRole('link', { name: shared.failedTitle, exact: true })).toHaveCount(0);
  }

  // Straight from the address.
  await go(page, '/cases?status=closed');
  await expect(page.getByLabel('Status')).toHaveValue('closed');
  const rows = page.locator('table.table tbody tr');
  for (const title of shared.closedTitles) {
    const row = rows.filter({ has: page.getByRole('link', { name: title, exact: true }) });
    await expect(row).toHaveCount(1);
    await expect(row.locator('span.status')).toHaveText('closed');
  }
  // Only closed cases are listed.
  const statuses = await rows.locator('span.status').allTextContents();
  expect(statuses.length).toBeGreaterThanOrEqual(shared.closedTitles.length);
  expect(statuses.every((s) => s.trim() === 'closed')).toBe(true);
  await shot(page, '11-cases-closed');

  // The failed case is under "failed".
  if (shared.failedTitle) {
    await go(page, '/cases?status=failed');
    await expect(page.getByRole('link', { name: shared.failedTitle, exact: true })).toBeVisible();
  }

  // Clicking a title opens the case.
  await go(page, '/cases?status=closed');
  await page.getByRole('link', { name: shared.closedTitles[0], exact: true }).click();
  await expect(page).toHaveURL(/\/cases\/C-[0-9A-Za-z]+$/);
  await expect(page.getByRole('heading', { level: 1, name: shared.closedTitles[0] })).toBeVisible();
  await expect(statusBadge(page)).toHaveText('closed');

  // The unfiltered list, for the record.
  await go(page, '/cases');
  await shot(page, '12-cases-all');
  await context.close();
});
