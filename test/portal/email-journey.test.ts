/**
 * Cổng thông tin đi từ thư điện tử, trên chỉ thị mẫu Hà Nội 3968 triển khai đầy đủ (cùng danh mục
 * đơn vị), thư gửi qua một máy chủ SMTP thật trên loopback: cán bộ mở đường dẫn trong thư giao nhiệm
 * vụ khi chưa đăng nhập, đăng nhập rồi về đúng trang nhiệm vụ, nộp; cơ quan duyệt mở đường dẫn trong
 * thư báo nộp, từ chối có nhận xét; cán bộ đọc nhận xét (thư và trang), nộp lại; được chấp nhận; số
 * liệu trên bảng tổng quan chuyển từ "chờ duyệt" sang "hoàn thành đúng hạn". Dùng bàn phím: thứ tự
 * Tab, viền focus, liên kết "bỏ qua", đăng nhập và nộp chỉ bằng bàn phím. Tiếng Anh: công tắc ngôn
 * ngữ ở đầu trang, nhớ bằng cookie, ngày vẫn dd/mm/yyyy.
 * The portal reached from e-mail, on the Hanoi 3968 seed deployed in full (with its registry) as
 * `npm start` deploys it, the notices sent through a real SMTP server on loopback and linking to this
 * portal. The instances run on a virtual epoch (clockOffsetMs, as test/scenarios/ do) that puts
 * their business time at 28/11/2022 09:00, the day the directive was issued, so its tasks are open
 * whatever today's date is; the time-skipping server's clock is moved only for the assignment
 * letter (gathered for five minutes). axe runs on every page visited (no serious or critical
 * violation); screenshots in .data/screenshots/email-journey/.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpEmailChannel } from '../../activities/index.js';
import { listInstances } from '../../activities/store/instances.js';
import { ROOT } from '../../common/config.js';
import { compileFile } from '../../compiler/index.js';
import type { Plan } from '../../compiler/plan.js';
import { deploy } from '../../service/deploy.js';
import { plannedInstances } from '../../service/instances.js';
import { ASSIGNMENT_GATHER_MS } from '../../activities/notify/letters.js';
import type { ServerHarness } from '../server/harness.js';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp.js';
import { PASSWORD, startPortalTest, type PortalTest } from './support.js';

const D = 'hanoi-3968-2022';
const TZ = 'Asia/Ho_Chi_Minh';
const ISSUED = '2022-11-28';
const PLAN_TITLE = 'Ban hành phương án, kịch bản ứng cứu sự cố cho hệ thống thông tin';
// A minimal PDF: enough for a browser upload and a media type; the content is what the hash covers.
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`);

let portal: PortalTest;
let smtp: TestSmtpServer;
let h: ServerHarness;
let base: string;
let plan: Plan;
const check = (page: Page, name: string) => portal.check(page, name);
const dmy = (iso: string) => iso.slice(0, 10).split('-').reverse().join('/');

async function instance(obligation: string, unit: string) {
  return (await listInstances(h.db.pool, D, { unitId: unit, obligationId: obligation }))[0];
}
const waitStatus = (obligation: string, unit: string, ok: (s: string | undefined) => boolean, what: string) =>
  h.until(`${obligation} of ${unit} ${what}`, async () => (await instance(obligation, unit))?.status, ok, 30_000);

/** E-mails received so far to a unit's registry address. */
const mailsTo = (unit: string) => smtp.messages.filter((m) => m.to.includes(plan.units[unit]!.email!));

/** Waits (real time) for an e-mail the SMTP server has received: the dispatcher sends after each step commits. */
async function waitMail(what: string, find: () => ReceivedMail | undefined): Promise<ReceivedMail> {
  return (await h.until(what, async () => find(), (m) => m !== undefined, 30_000))!;
}

/** The first `label: <url>` line after `from` in an e-mail's text (the link of that item of a letter). */
function linkAfter(text: string, from: string, label: string): string {
  const at = text.indexOf(from);
  expect(at, `"${from}" in the e-mail`).toBeGreaterThanOrEqual(0);
  const m = new RegExp(`${label}: (\\S+)`).exec(text.slice(at));
  expect(m, `"${label}: …" after "${from}"`).not.toBeNull();
  return m![1]!;
}

/** One keyboard stop: what has the focus, whether it shows it, and where it is. */
interface Stop {
  what: string;
  /** The element matches :focus-visible (focus came from the keyboard). */
  focusVisible: boolean;
  /** Its computed outline or box-shadow is not none while focused: the focus can be seen. */
  indicator: boolean;
  inMain: boolean;
}

/**
 * Chạy trong trang (trước mọi script của trang): ghi lại mỗi lần focus, liệt kê các điều khiển theo
 * thứ tự trong trang. Viết bằng JavaScript trong một chuỗi vì tsconfig không có thư viện DOM.
 * Runs in the page before its own scripts: records every focus (element, text, whether it shows),
 * and lists the page's controls in document order. JavaScript in a string: tsconfig has no DOM lib.
 */
const KEYBOARD_PROBE = `
window.chithiKeys = (() => {
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\\s+/g, ' ').trim().slice(0, 60);
  const stops = [];
  document.addEventListener('focusin', (e) => {
    const el = e.target;
    const cs = getComputedStyle(el);
    stops.push({
      what: describe(el),
      focusVisible: el.matches(':focus-visible'),
      indicator: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none',
      inMain: el.closest('main') !== null,
    });
  }, true);
  return {
    stops,
    focused: () => (document.activeElement ? { what: describe(document.activeElement), id: document.activeElement.id, text: (document.activeElement.textContent ?? '').trim(), inMain: document.activeElement.closest('main') !== null } : null),
    controls: () => [...document.querySelectorAll('a[href], button, input, select, textarea, iframe, summary, [tabindex]')]
      .filter((el) => !el.matches('[tabindex="-1"], :disabled, input[type=hidden]') && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
      .map(describe),
  };
})();
`;

interface Focused {
  what: string;
  id: string;
  text: string;
  inMain: boolean;
}
const focused = (page: Page) => page.evaluate<Focused | null>('window.chithiKeys.focused()');

/** A page whose every load runs KEYBOARD_PROBE. */
async function keyboardPage(): Promise<Page> {
  const page = await portal.newPage();
  await page.context().addInitScript({ content: KEYBOARD_PROBE });
  return page;
}

/**
 * Tab order reaches every control in the page's order (header, then the main content: the order a
 * sighted keyboard user reads them in, no positive tabindex), each with a visible focus indicator;
 * the skip link comes first, is on screen when focused, and Enter on it sends the next Tab to the
 * first control of the main content, past the header.
 */
async function checkKeyboard(page: Page, url: string, name: string, skipText = 'Bỏ qua, tới nội dung chính'): Promise<void> {
  await page.goto(url);
  // What htmx loads after the page (the dashboard's trend chart) is part of the page a person tabs through.
  await page.waitForLoadState('networkidle');
  await expect.poll(() => page.locator('[hx-trigger="load"]').count()).toBe(0);
  const expected = await page.evaluate<string[]>('window.chithiKeys.controls()');
  expect(expected.length, `controls on ${name}`).toBeGreaterThan(2);
  // A date input takes one Tab per part (day, month, year, its calendar button) in Chromium: press
  // as many times as there are stops left, again until every control was reached, never past the last.
  let stops: Stop[] = [];
  for (let round = 0; round < 5 && stops.length < expected.length; round++) {
    await pressTab(page, expected.length - stops.length);
    stops = await page.evaluate<Stop[]>('window.chithiKeys.stops');
  }
  expect(stops.map((s) => s.what), `Tab order on ${name}`).toEqual(expected);
  expect(stops[0]!.what).toBe(`a ${skipText}`);
  expect(stops.filter((s) => !s.focusVisible || !s.indicator).map((s) => s.what), `controls without a visible focus on ${name}`).toEqual([]);
  const firstInMain = stops.find((s) => s.inMain);
  expect(firstInMain, `a control in the main content of ${name}`).toBeDefined();

  await page.goto(url);
  await page.keyboard.press('Tab');
  expect((await focused(page))?.what).toBe(`a ${skipText}`);
  const box = await page.getByRole('link', { name: skipText }).boundingBox();
  expect(box !== null && box.x >= 0 && box.y >= 0, 'the skip link is on screen when focused').toBe(true);
  await page.keyboard.press('Enter');
  await expect.poll(() => new URL(page.url()).hash).toBe('#main');
  await page.keyboard.press('Tab');
  const after = await focused(page);
  expect({ what: after?.what, inMain: after?.inMain }, `the first Tab after the skip link on ${name}`).toEqual({ what: firstInMain!.what, inMain: true });
}

/**
 * Nhấn Tab `n` lần qua giao thức DevTools, không chờ từng lần: page.keyboard.press chờ trình duyệt
 * vẽ lại sau mỗi phím (khoảng 60 ms một lần, 40 giây cho 659 điều khiển của bảng tổng quan).
 * Presses Tab `n` times through the DevTools protocol without waiting for each: the key events go in
 * order on one session, but page.keyboard.press waits for a repaint after every key (about 60 ms
 * each, 40 s for the dashboard's 659 controls).
 */
async function pressTab(page: Page, n: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const tab = { key: 'Tab', code: 'Tab', windowsVirtualKeyCode: 9, nativeVirtualKeyCode: 9 };
  const keys: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) keys.push(cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...tab }), cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...tab }));
  await Promise.all(keys);
  await cdp.detach();
}

/** Presses Tab until the focus is on what `is` accepts (at most `max` times): how a keyboard user gets somewhere. */
async function tabTo(page: Page, what: string, is: (el: Focused) => boolean, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const el = await focused(page);
    if (el && is(el)) return;
  }
  throw new Error(`${what}: not reached after ${max} presses of Tab`);
}

async function focusedId(page: Page): Promise<string | undefined> {
  return (await focused(page))?.id;
}

/** The dashboard's counts table as the page shows it: each bucket's label → its number. */
async function countsOf(page: Page): Promise<Record<string, number>> {
  const heads = await page.locator('#counts thead th').allInnerTexts();
  const cells = await page.locator('#counts tbody td').allInnerTexts();
  return Object.fromEntries(heads.map((label, i) => [label.trim(), Number(cells[i])]));
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  portal = await startPortalTest('email-journey', { email: smtpEmailChannel(smtp.url), portalLinks: true });
  ({ h, base } = portal);
  // The seed and its registry, compiled as npm start compiles them (here as of the issue date).
  const compiled = await compileFile(join(ROOT, 'directives', 'hanoi-3968-2022.yaml'), { asOf: ISSUED });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics, null, 1));
  plan = compiled.plan;
  const offset = DateTime.fromISO(`${ISSUED}T09:00`, { zone: TZ }).toMillis() - (await h.env.currentTimeMs());
  await deploy(plan, { client: h.env.client, pool: h.db.pool, by: 'test', clockOffsetMs: offset });
  await h.until('instances recorded', () => listInstances(h.db.pool, D), (rows) => rows.length >= plannedInstances(plan).length, 90_000);
  // The tasks a deployment gives are gathered into one assignment letter per unit: let the
  // server's clock pass the gathering time, then the letters go out by SMTP.
  await h.env.sleep(ASSIGNMENT_GATHER_MS + 60_000);
  await waitMail('the assignment letter to so-y-te', () => mailsTo('so-y-te').find((m) => m.subject.includes('Giao nhiệm vụ')));
  await portal.account('can-bo.so-y-te', 'so-y-te', ['officer']);
  await portal.account('duyet.so-tttt', 'so-tttt', ['reviewer']);
  await portal.account('lanh-dao.chu-tich', 'chu-tich-ubnd', ['leadership']);
  await portal.account('can-bo.so-tai-chinh', 'so-tai-chinh', ['officer']);
  await portal.account('can-bo.so-cong-thuong', 'so-cong-thuong', ['officer']);
}, 180_000);

afterAll(async () => {
  await portal?.close();
  await smtp?.stop();
});

describe('from the e-mail to the portal, on the Hanoi seed', () => {
  it("the officer opens the task link of the unit's letter, signs in, lands on the task and submits; the reviewer rejects from its notice; the officer resubmits; the reviewer accepts; the dashboard moves the task to completed on time", async () => {
    // ---- the officer's letter: the response plan's task page, opened signed out
    const letter = mailsTo('so-y-te').find((m) => m.subject.includes('Giao nhiệm vụ'))!;
    expect(letter.text).toContain('Kính gửi: Sở Y tế');
    const taskLink = linkAfter(letter.text, `: ${PLAN_TITLE}`, 'Trang nhiệm vụ');
    expect(taskLink.startsWith(`${base}/nhiem-vu/`)).toBe(true);
    const taskPath = new URL(taskLink).pathname;

    const officer = await portal.newPage();
    await officer.goto(taskLink);
    await expect.poll(() => new URL(officer.url()).pathname).toBe('/dang-nhap');
    expect(new URL(officer.url()).searchParams.get('next')).toBe(taskPath);
    await check(officer, 'officer-sign-in-from-letter');
    await portal.fillSignIn(officer, 'can-bo.so-y-te');
    // Back on the very page the letter links to, not the start page.
    expect(new URL(officer.url()).pathname).toBe(taskPath);
    expect(await officer.getByRole('heading', { level: 1 }).innerText()).toBe(PLAN_TITLE);
    const due = (await instance('response-plan', 'so-y-te'))!.due!;
    const facts = await officer.locator('dl.facts').innerText();
    expect(facts).toContain('3968/UBND-KGVX');
    expect(facts).toContain('Sở Y tế');
    expect(facts).toContain(dmy(due));
    expect(letter.text).toContain(`Hạn: ${dmy(due)}`); // the letter and the page agree on the date
    expect(await officer.locator('#task-status').innerText()).toBe('đang thực hiện trong hạn');
    await check(officer, 'officer-task');

    const submit = async (fileName: string, body: Buffer) => {
      await officer.getByLabel(/Phương án, kịch bản ứng cứu sự cố đã ban hành/).setInputFiles({ name: fileName, mimeType: 'application/pdf', buffer: body });
      await officer.getByLabel(/Ngày ban hành/).fill('2022-11-25');
      await officer.getByRole('button', { name: 'Nộp', exact: true }).click();
      await officer.waitForURL(/\/nop$/);
      expect(await officer.getByRole('heading', { level: 1 }).innerText()).toBe('Biên nhận nộp minh chứng');
      const receipt = await officer.locator('main').innerText();
      expect(receipt).toContain(createHash('sha256').update(body).digest('hex'));
      expect(receipt).toContain(fileName);
    };
    await submit('phuong-an-ung-cuu.pdf', pdf('phương án ứng cứu sự cố, bản 1'));
    await check(officer, 'officer-receipt');
    await waitStatus('response-plan', 'so-y-te', (s) => s === 'awaiting-review', 'awaiting review');

    // ---- the reviewer's notice: "Xem và duyệt trên cổng thông tin", opened signed out by the
    // obligation's reviewer, the coordinating department
    expect(plan.obligations.find((o) => o.id === 'response-plan')?.reviewer).toBe('so-tttt');
    const submittedMails = () =>
      mailsTo('so-tttt').filter((m) => m.subject.includes(PLAN_TITLE) && m.text.includes('Đơn vị thực hiện: Sở Y tế') && m.text.includes('Xem và duyệt trên cổng thông tin'));
    const first = await waitMail('the submitted notice to so-tttt', () => submittedMails()[0]);
    const reviewLink = linkAfter(first.text, 'Đơn vị thực hiện: Sở Y tế', 'Xem và duyệt trên cổng thông tin');
    expect(reviewLink).toMatch(new RegExp(`^${base}/duyet/[0-9a-f-]{36}$`));
    const reviewer = await portal.newPage();
    await reviewer.goto(reviewLink);
    await expect.poll(() => new URL(reviewer.url()).pathname).toBe('/dang-nhap');
    await check(reviewer, 'reviewer-sign-in-from-notice');
    await portal.fillSignIn(reviewer, 'duyet.so-tttt');
    expect(reviewer.url()).toBe(reviewLink);
    const decide = async (decision: 'Chấp nhận' | 'Từ chối', comment: string | undefined, fileName: string, name: string) => {
      expect(await reviewer.getByRole('heading', { level: 1 }).innerText()).toBe(`${PLAN_TITLE} — Sở Y tế`);
      expect(await reviewer.locator('main').innerText()).toContain(fileName);
      await check(reviewer, name);
      if (comment !== undefined) await reviewer.getByLabel(/Nhận xét/).fill(comment);
      // Chromium's PDF viewer in the page takes the focus once the PDF loads, and headless Chromium
      // then drops the next synthetic click on the page: give the page the focus back first.
      else await reviewer.getByLabel(/Nhận xét/).focus();
      const navigated = reviewer.waitForURL(/\/duyet\?da-duyet=/);
      await reviewer.getByRole('button', { name: decision }).click();
      await navigated;
    };
    const COMMENT = 'Thiếu kịch bản cho hệ thống một cửa điện tử; bổ sung rồi nộp lại.';
    await decide('Từ chối', COMMENT, 'phuong-an-ung-cuu.pdf', 'reviewer-submission');
    await waitStatus('response-plan', 'so-y-te', (s) => s === 'in-progress', 'back in progress');

    // ---- the officer: the rejection e-mail carries the comment and the task link; the page too
    const rejected = await waitMail('the rejection notice to so-y-te', () => mailsTo('so-y-te').find((m) => m.subject.includes(PLAN_TITLE) && m.text.includes(COMMENT)));
    expect(linkAfter(rejected.text, COMMENT, 'Trang nhiệm vụ')).toBe(taskLink);
    await officer.goto(taskLink);
    expect(await officer.locator('.review.reject').first().innerText()).toContain(COMMENT);
    await check(officer, 'officer-task-rejected');
    await submit('phuong-an-ung-cuu-bo-sung.pdf', pdf('phương án ứng cứu sự cố, bản 2 có kịch bản một cửa'));
    await waitStatus('response-plan', 'so-y-te', (s) => s === 'awaiting-review', 'awaiting review again');

    // ---- leadership before the decision: the task is one of those "chờ duyệt"
    const leader = await portal.newPage();
    await portal.signIn(leader, 'lanh-dao.chu-tich');
    await expect.poll(() => new URL(leader.url()).pathname).toBe('/tong-quan');
    await leader.getByRole('link', { name: '3968/UBND-KGVX' }).click();
    await leader.waitForURL(new RegExp(`/tong-quan/${D}$`));
    const before = await countsOf(leader);
    expect(before['chờ duyệt']).toBeGreaterThanOrEqual(1);
    await check(leader, 'leadership-before');

    // ---- the reviewer: the second notice links the new submission; accepted
    const second = await waitMail('the second submitted notice to so-tttt', () => submittedMails()[1]);
    const secondLink = linkAfter(second.text, 'Đơn vị thực hiện: Sở Y tế', 'Xem và duyệt trên cổng thông tin');
    expect(secondLink).not.toBe(reviewLink);
    await reviewer.goto(secondLink);
    await decide('Chấp nhận', undefined, 'phuong-an-ung-cuu-bo-sung.pdf', 'reviewer-second-submission');
    await waitStatus('response-plan', 'so-y-te', (s) => s?.startsWith('completed') === true, 'completed');

    await officer.goto(taskLink);
    expect(await officer.locator('#task-status').innerText()).toBe('hoàn thành đúng hạn');
    await check(officer, 'officer-task-completed');

    await leader.reload();
    const after = await countsOf(leader);
    expect(after['chờ duyệt']).toBe(before['chờ duyệt']! - 1);
    expect(after['hoàn thành đúng hạn']).toBe(before['hoàn thành đúng hạn']! + 1);
    expect(after['Tổng']).toBe(before['Tổng']);
    await check(leader, 'leadership-after');
  }, 150_000);
});

describe('the keyboard alone', () => {
  it('sign-in page, task list, task page and dashboard: Tab order, visible focus, the skip link; signing in and submitting with the keyboard only', async () => {
    const page = await keyboardPage();
    // Signed out, the task list sends to the sign-in page; it is walked, then filled from the keyboard.
    await page.goto(`${base}/nhiem-vu`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/dang-nhap');
    const signInUrl = page.url();
    await checkKeyboard(page, signInUrl, 'sign-in');
    await check(page, 'keyboard-sign-in');
    await page.goto(signInUrl);
    await tabTo(page, 'the login field', (el) => el.id === 'login');
    await page.keyboard.type('can-bo.so-tai-chinh');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/nhiem-vu');

    await checkKeyboard(page, `${base}/nhiem-vu`, 'task list');
    await check(page, 'keyboard-tasks');

    // To the task from the list by Tab and Enter.
    const title = 'Quán triệt nguyên tắc ứng cứu sự cố và chỉ đạo thực hiện Chỉ thị 18/CT-TTg';
    await page.goto(`${base}/nhiem-vu`);
    await tabTo(page, 'the task link', (el) => el.text === title);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === `/nhiem-vu/${D}/raise-awareness/so-tai-chinh`);
    const taskUrl = page.url();
    await checkKeyboard(page, taskUrl, 'task page');
    await check(page, 'keyboard-task');

    // The submission form: the file chooser opened with Space, the attestation ticked with Space,
    // a note typed, sent with Enter.
    await page.goto(taskUrl);
    await tabTo(page, 'the document input', (el) => el.id === 'ev-dissemination');
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Space');
    const body = pdf('văn bản quán triệt Chỉ thị 18/CT-TTg');
    await (await chooser).setFiles({ name: 'quan-triet.pdf', mimeType: 'application/pdf', buffer: body });
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('ev-instilled');
    await page.keyboard.press('Space');
    expect(await page.locator('#ev-instilled').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('note');
    await page.keyboard.type('Nộp bằng bàn phím');
    await page.keyboard.press('Tab');
    expect((await focused(page))?.text).toBe('Nộp');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/nop$/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Biên nhận nộp minh chứng');
    const receipt = await page.locator('main').innerText();
    expect(receipt).toContain(createHash('sha256').update(body).digest('hex'));
    // The attestation under its own title and in words, the note typed in shown back.
    expect(receipt).toMatch(/Cam kết đã quán triệt tới tổ chức, cá nhân thuộc phạm vi quản lý\s+Đã cam kết/);
    expect(receipt).toContain('Nộp bằng bàn phím');
    await check(page, 'keyboard-receipt');
    await waitStatus('raise-awareness', 'so-tai-chinh', (s) => s === 'awaiting-review', 'awaiting review');
    // The note typed in is kept with the submission: the task's history shows it.
    await page.goto(taskUrl);
    expect(await page.locator('article.history').first().innerText()).toContain('Ghi chú: Nộp bằng bàn phím');

    const leader = await keyboardPage();
    await portal.signIn(leader, 'lanh-dao.chu-tich');
    await checkKeyboard(leader, `${base}/tong-quan/${D}`, 'dashboard');
    await check(leader, 'keyboard-dashboard');
  }, 150_000);
});

describe('in English', () => {
  it("the header's switch shows the task list, a task and the dashboard in English, remembered by a cookie; dates stay dd/mm/yyyy", async () => {
    const DMY = /^\d{2}\/\d{2}\/\d{4}$/;
    const officer = await portal.newPage();
    await portal.signIn(officer, 'can-bo.so-cong-thuong');
    await expect.poll(() => new URL(officer.url()).pathname).toBe('/nhiem-vu');
    await officer.getByRole('link', { name: 'English' }).click();
    await officer.waitForURL(/[?&]lang=en$/);
    expect(await officer.locator('html').getAttribute('lang')).toBe('en');
    expect(await officer.getByRole('heading', { level: 1 }).innerText()).toBe('My tasks');
    expect(await officer.getByRole('navigation', { name: 'Main navigation' }).innerText()).toContain('Notifications');
    expect(await officer.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    expect(await officer.locator('main h2').allInnerTexts()).toContain(`in progress, on time (${await officer.locator('#g-in-progress + table tbody tr').count()})`);
    expect(await officer.locator('main table').first().locator('thead th').allInnerTexts()).toEqual(['Directive', 'Clause', 'Task', 'Due']);
    const row = officer.locator('tr', { has: officer.getByRole('link', { name: 'Issue incident-response plans and scenarios for information systems' }) });
    const due = (await instance('response-plan', 'so-cong-thuong'))!.due!;
    expect(await row.locator('td').last().innerText()).toBe(dmy(due));
    for (const cell of await officer.locator('main tbody tr td:last-child').allInnerTexts()) expect(cell).toMatch(/^\d{2}\/\d{2}\/\d{4}/);
    await check(officer, 'english-tasks');

    // A link without ?lang: the cookie keeps the page in English.
    await row.getByRole('link').click();
    await officer.waitForURL((u) => u.pathname === `/nhiem-vu/${D}/response-plan/so-cong-thuong` && !u.search.includes('lang'));
    expect(await officer.getByRole('heading', { level: 1 }).innerText()).toBe('Issue incident-response plans and scenarios for information systems');
    const terms = await officer.locator('dl.facts dt').allInnerTexts();
    const values = await officer.locator('dl.facts dd').allInnerTexts();
    const facts = Object.fromEntries(terms.map((t, i) => [t.trim(), values[i]!.trim()]));
    expect(facts.Directive).toBe('3968/UBND-KGVX — Implementing Directive 18/CT-TTg on stepping up cyber incident response');
    expect(facts.Clause).toBe('1.2');
    expect(facts.Unit).toBe('Department of Industry and Trade');
    expect(facts.Status).toBe('in progress, on time');
    expect(facts.Due).toBe(dmy(due));
    expect(facts.Due).toMatch(DMY);
    expect(await officer.getByRole('heading', { name: 'Submit evidence' }).count()).toBe(1);
    expect(await officer.getByLabel(/Issued response plan and scenarios/).count()).toBe(1);
    expect(await officer.getByLabel(/Date issued/).count()).toBe(1);
    expect(await officer.getByRole('button', { name: 'Submit', exact: true }).count()).toBe(1);
    expect(await officer.getByRole('heading', { name: 'Ask for an extension' }).count()).toBe(1);
    expect(await officer.locator('main').innerText()).toContain('Nothing submitted yet.');
    expect(await officer.locator('footer').innerText()).toBe("Dates are dd/mm/yyyy; times are in the directive's timezone.");
    await check(officer, 'english-task');

    const leader = await portal.newPage();
    await portal.signIn(leader, 'lanh-dao.chu-tich');
    await expect.poll(() => new URL(leader.url()).pathname).toBe('/tong-quan');
    await leader.getByRole('link', { name: 'English' }).click();
    await leader.waitForURL(/[?&]lang=en$/);
    expect(await leader.getByRole('heading', { level: 1 }).innerText()).toBe('Directive dashboard');
    await check(leader, 'english-dashboard');
    await leader.getByRole('link', { name: '3968/UBND-KGVX' }).click();
    await leader.waitForURL((u) => u.pathname === `/tong-quan/${D}`);
    expect(await leader.getByRole('heading', { level: 1 }).innerText()).toBe('3968/UBND-KGVX — Implementing Directive 18/CT-TTg on stepping up cyber incident response');
    const counts = await countsOf(leader);
    expect(Object.keys(counts)).toEqual(['not yet due', 'in progress, on time', 'awaiting review', 'completed on time', 'completed late', 'overdue, not completed', 'withdrawn', 'Total']);
    expect(counts.Total).toBe((await listInstances(h.db.pool, D)).length);
    expect(await leader.getByRole('heading', { level: 2 }).allInnerTexts()).toEqual(expect.arrayContaining(['Tasks by status', 'Units behind schedule', 'Clause × unit grid']));
    const asOf = /Status as of (\S+)\./.exec(await leader.locator('main').innerText())?.[1];
    expect(asOf).toMatch(DMY);
    expect(await leader.locator('#grid').innerText()).toContain('Department of Industry and Trade');
    await check(leader, 'english-dashboard-directive');
  }, 120_000);
});
