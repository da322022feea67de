import { expect, test, type Page } from '@playwright/test';
import { PASSWORD, RUN, WORKFLOW, until } from './support';

// The forms drawn from a case type work without JavaScript: every step is a
// plain form post, and the server sends the browser back to the page.
test.use({ javaScriptEnabled: false });

/** Reloads until `check` passes (no hydration to wait for). */
function untilShown(page: Page, check: () => Promise<void>): Promise<void> {
  return until(page, check, WORKFLOW, (p) => p.reload());
}

test('without JavaScript a refund is opened, reviewed and refused with a reason', async ({ browser }) => {
  const title = `No script refund ${RUN}`;
  const signIn = async (user: string) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('User name').fill(user);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'My work' })).toBeVisible();
    return { context, page };
  };

  const olivia = await signIn('olivia');
  await olivia.page.goto('/cases/new?type=refund');
  await olivia.page.getByLabel('Title').fill(title);
  await olivia.page.getByLabel('Amount (required)', { exact: true }).fill('40');
  await olivia.page.getByLabel('Order reference (required)').fill(`ORD-${RUN}`);
  await olivia.page.getByLabel('Reason (required)').fill('Wrong size.');
  await olivia.page.getByRole('button', { name: 'Open case' }).click();
  await expect(olivia.page).toHaveURL(/\/cases\/C-[0-9A-Za-z]+$/);
  const id = new URL(olivia.page.url()).pathname.split('/').pop()!;
  await olivia.context.close();

  const oscar = await signIn('oscar');
  await oscar.page.goto(`/cases/${id}`);
  const review = oscar.page.getByRole('form', { name: 'Review the refund' });
  await untilShown(oscar.page, async () => {
    await expect(review).toBeVisible({ timeout: 2_000 });
  });
  await review.getByLabel('Comment').fill('The customer kept it for a year.');
  await review.getByRole('button', { name: 'Reject' }).click();
  await expect(oscar.page).toHaveURL(new RegExp(`/cases/${id}`));
  await untilShown(oscar.page, async () => {
    await expect(oscar.page.getByTestId('current-step')).toHaveText('Refused', { timeout: 2_000 });
  });
  await expect(oscar.page.locator('ol.timeline')).toContainText('oscar rejected the refund');
  await expect(oscar.page.locator('ol.timeline')).toContainText('The customer kept it for a year.');
  await oscar.context.close();
});
