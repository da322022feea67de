import { expect, test, type Page } from '@playwright/test';
import { RUN, WORKFLOW, go, reload, shot, signIn, stepLine, until, waitReady } from './support';

// A refund through the browser: New case with its case type and money field,
// a review, two approvals in parallel by different people, the payout; the
// workflow graph showing where the case is.
test.describe.configure({ mode: 'serial' });

function currentStep(page: Page) {
  return page.getByTestId('current-step');
}

/** Waits (reloading) until the case page has the form named `name`. */
async function untilForm(page: Page, name: string) {
  await until(page, async () => {
    await expect(page.getByRole('form', { name })).toBeVisible({ timeout: 2_000 });
  });
  return page.getByRole('form', { name });
}

test('a refund goes from New case through both approvals by different people to the payout', async ({ browser }) => {
  const title = `Refund order 5531 ${RUN}`;
  const olivia = await signIn(browser, 'olivia');
  const page = olivia.page;

  // New case asks for the case type, then shows the refund's fields.
  await go(page, '/cases/new');
  const types = page.getByRole('navigation', { name: 'Case type' });
  await expect(types.getByRole('link', { name: 'Support case' })).toHaveAttribute('aria-current', 'page');
  await types.getByRole('link', { name: 'Refund' }).click();
  await expect(page).toHaveURL(/type=refund/);
  await waitReady(page);
  await expect(page.getByRole('form', { name: 'New refund' })).toBeVisible();

  // A field checked in the browser says what the server would.
  await page.getByLabel('Title').fill(title);
  const amount = page.getByLabel('Amount (required)', { exact: true });
  await amount.fill('twelve');
  await amount.blur();
  await expect(page.getByText('Amount must be an amount such as 12.50.')).toBeVisible();
  await shot(page, '20-refund-new-invalid');
  await amount.fill('250.00');
  await amount.blur();
  await expect(page.getByText('Amount must be an amount such as 12.50.')).toHaveCount(0);
  await page.getByLabel('Amount currency').selectOption('EUR');
  await page.getByLabel('Order reference (required)').fill(`ORD-${RUN}`);
  await page.getByLabel('Reason (required)').fill('Arrived broken.');
  await shot(page, '21-refund-new');
  await page.getByRole('button', { name: 'Open case' }).click();
  await expect(page).toHaveURL(/\/cases\/C-[0-9A-Za-z]+$/);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const id = new URL(page.url()).pathname.split('/').pop()!;
  await waitReady(page);
  await expect(page.locator('.facts')).toContainText('250.00 EUR');
  await olivia.context.close();

  // oscar reviews it.
  const oscar = await signIn(browser, 'oscar');
  await go(oscar.page, `/cases/${id}`);
  const review = await untilForm(oscar.page, 'Review the refund');
  await expect(review).toContainText('250.00 EUR');
  await review.getByRole('button', { name: 'Approve' }).click();
  await expect(oscar.page.getByRole('status')).toHaveText('Reviewed: the refund goes on.');

  // Both approvals wait at once, and the graph marks both as current.
  await until(oscar.page, async () => {
    await expect(oscar.page.getByRole('heading', { level: 2, name: 'Next steps' })).toBeVisible({ timeout: 2_000 });
  });
  await expect(oscar.page.getByRole('heading', { level: 3, name: 'Finance approval' })).toBeVisible();
  await expect(oscar.page.getByRole('heading', { level: 3, name: 'Manager approval' })).toBeVisible();
  await expect(stepLine(oscar.page, 'FinanceApproval')).toHaveAttribute('data-status', 'current');
  await expect(stepLine(oscar.page, 'ManagerApproval')).toHaveAttribute('data-status', 'current');
  await expect(stepLine(oscar.page, 'ReviewRefund')).toHaveAttribute('data-status', 'done');
  await expect(oscar.page.locator('figure.graph svg')).toBeVisible();
  await shot(oscar.page, '22-refund-parallel-approvals');

  // maria approves for finance; she may not also approve as manager.
  const maria = await signIn(browser, 'maria');
  await go(maria.page, `/cases/${id}`);
  const finance = await untilForm(maria.page, 'Finance approval');
  await finance.getByRole('button', { name: 'Approve' }).click();
  await expect(maria.page.getByRole('status')).toHaveText('Approved for finance.');
  await until(maria.page, async () => {
    await expect(maria.page.getByTestId('task-waiting')).toContainText('Four eyes', { timeout: 2_000 });
  });
  await maria.context.close();

  // ada approves as manager.
  const ada = await signIn(browser, 'ada');
  await go(ada.page, `/cases/${id}`);
  const manager = await untilForm(ada.page, 'Manager approval');
  await manager.getByRole('button', { name: 'Approve' }).click();
  await expect(ada.page.getByRole('status')).toHaveText('Approved as manager.');
  await ada.context.close();

  // oscar records the payout; the case ends refunded.
  await reload(oscar.page);
  const payout = await untilForm(oscar.page, 'Record the payout');
  await payout.getByLabel('Payout reference (required)').fill('TX-9');
  await payout.getByRole('button', { name: 'Record payout' }).click();
  await until(oscar.page, async () => {
    await expect(currentStep(oscar.page)).toHaveText('Refunded', { timeout: 2_000 });
  });
  await expect(oscar.page.locator('ol.timeline')).toContainText('maria approved the refund for finance');
  await expect(oscar.page.locator('ol.timeline')).toContainText('ada approved the refund as manager');
  await shot(oscar.page, '23-refund-paid');
  await oscar.context.close();
});
