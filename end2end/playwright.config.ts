import { defineConfig } from '@playwright/test';

// Browser tests for Stepdesk. They run against the already-built release
// binary (`cargo leptos build --release`, as scripts/dev.sh serves it), started
// fresh on a temporary database for each run.
//
//   cd end2end && npm ci && npx playwright test
//
// STEPDESK_BIN overrides the binary and STEPDESK_SITE_ROOT its site assets
// (the `pkg/` with the wasm); both relative to the repo root, or absolute. The
// binary and the wasm must come from the same `cargo leptos build`, or pages
// fail to hydrate.
// The system Chromium is used; no Playwright browser download is needed.

const PORT = 3300;
const BASE_URL = `http://127.0.0.1:${PORT}`;
const BIN = process.env.STEPDESK_BIN ?? 'target/release/stepdesk';
const SITE_ROOT = process.env.STEPDESK_SITE_ROOT ?? 'target/site';

export default defineConfig({
  testDir: './tests',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: 'list',
  outputDir: './test-results',
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    // A fresh temporary directory (mirror + engine databases) on every run.
    command:
      `bash -c 'd=$(mktemp -d) && echo "stepdesk data in $d" && ` +
      `LEPTOS_SITE_ROOT="${SITE_ROOT}" exec "${BIN}" serve --demo --sfn embedded ` +
      `--listen 127.0.0.1:${PORT} --db "$d/mirror.db" --engine-db "$d/engine.db" ` +
      `--reconcile-seconds 1'`,
    cwd: '..',
    url: `${BASE_URL}/login`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
