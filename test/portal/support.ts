/**
 * What every browser test of the portal needs: the server harness, Debian's Chromium, accounts with
 * a known password, sign-in through the form, and a check of every page visited (a screenshot under
 * .data/screenshots/<name>/, and axe with no serious or critical violation).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createAccount } from '../../activities/store/accounts.js';
import { DATA_DIR } from '../../common/config.js';
import type { Role } from '../../common/roles.js';
import { hashPassword } from '../../server/auth/passwords.js';
import type { ClientHarnessOptions } from '../client/harness.js';
import { startServerHarness, type ServerHarness } from '../server/harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PASSWORD = 'mat-khau-thu-nghiem';

export interface PortalTest {
  h: ServerHarness;
  browser: Browser;
  /** The portal's address (the harness's listening server). */
  base: string;
  /** An account with the test password. */
  account(login: string, unit: string, roles: Role[]): Promise<void>;
  /** A page as a Vietnamese user in Hanoi sees it. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** A screenshot of the page, and axe with no serious or critical violation. */
  check(page: Page, name: string): Promise<void>;
  /** Fills and sends the sign-in form the page shows. */
  fillSignIn(page: Page, login: string): Promise<void>;
  /** Opens the sign-in page and signs in. */
  signIn(page: Page, login: string): Promise<void>;
  close(): Promise<void>;
}

/** `options` go to the harness (an SMTP channel, notices linking to this portal); none by default. */
export async function startPortalTest(screenshots: string, options: ClientHarnessOptions = {}): Promise<PortalTest> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  const shots = join(DATA_DIR, 'screenshots', screenshots);
  rmSync(shots, { recursive: true, force: true }); // this run's pages only
  mkdirSync(shots, { recursive: true });
  const h = await startServerHarness(options);
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const base = String(h.cliEnv.CHITHI_API_URL);
  let shot = 0;
  const fillSignIn = async (page: Page, login: string) => {
    await page.getByLabel('Tên đăng nhập').fill(login);
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL((u) => u.pathname !== '/dang-nhap');
  };
  return {
    h,
    browser,
    base,
    async account(login, unit, roles) {
      await createAccount(h.db.pool, { login, unitId: unit, roles, passwordHash: await hashPassword(PASSWORD), createdBy: 'test' });
    },
    async newPage(options = {}) {
      return (await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...options })).newPage();
    },
    async check(page, name) {
      shot += 1;
      await page.screenshot({ path: join(shots, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
      const result = await new AxeBuilder({ page }).analyze();
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), `axe on ${name} (${page.url()})`).toEqual([]);
    },
    fillSignIn,
    async signIn(page, login) {
      await page.goto(`${base}/dang-nhap`);
      await fillSignIn(page, login);
    },
    async close() {
      await browser.close();
      await h.close();
    },
  };
}
