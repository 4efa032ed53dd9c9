// The whole GUI end to end, as a user drives it: `eddy serve` (3 brokers, workers) as a child
// process, Debian's Chromium under playwright-core, every step done by clicking and typing in the
// UI. Create a topic → produce one record and a templated run → browse and search → a kcat consumer
// group drains the topic (lag falls to 0) → kill the leader of partition 0 from the Cluster view
// (leaders move, the ISR shrinks) → start it again (the ISR recovers). Each view's picture goes to
// test-results/screenshots/<view>.png. Without Chromium (or kcat) the tests are skipped with the
// install hint; under CI=true they fail instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../interop/harness/tools.js';
import {
  CHROMIUM_ARGS,
  CHROMIUM_INSTALL_HINT,
  ROOT,
  ensureCliBuilt,
  ensureUiBuilt,
  findChromium,
  isCI,
  startServe,
  type ServeProcess,
} from './ui-harness.js';

const SHOTS = join(ROOT, 'test-results', 'screenshots');
const TOPIC = 'e2e-flow';
const GROUP = 'e2e-group';
const PARTITIONS = [0, 1, 2];
/** One wait; generous for a loaded two-core machine. */
const WAIT = 60_000;
const RUN_COUNT = 200;
const SINGLE_VALUE = { order: 'e2e-single', amount: 42.5, items: ['espresso', 'croissant'], paid: true };

const chromiumPath = findChromium();

/** The little of the DOM the functions run in the page use (the node-side tsconfig has no "dom" lib). */
interface PageDocument {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): { length: number };
  documentElement: { classList: { contains(name: string): boolean } };
}
declare const document: PageDocument;

type Ctx = { skip: (note?: string) => never };

function needChromium(ctx: Ctx): void {
  if (chromiumPath) return;
  const message = `Chromium is not installed. To install: ${CHROMIUM_INSTALL_HINT}`;
  if (isCI) throw new Error(message);
  console.warn(`[e2e] skipping: ${message}`);
  ctx.skip(message);
}

describe('the GUI flow: topic → produce → browse → group lag → broker kill and restart', () => {
  let serve: ServeProcess;
  let browser: Browser | undefined;
  let page: Page;
  let consumer: ChildProcess | undefined;
  let consumed = 0;
  /** The broker that led partition 0, killed and started again. */
  let victim = -1;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureCliBuilt();
    ensureUiBuilt();
    serve = await startServe();
    mkdirSync(SHOTS, { recursive: true });
    if (!chromiumPath) return;
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    page.setDefaultTimeout(WAIT);
    // A CSP violation or a script error shows up here.
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400) pageErrors.push(`${r.status()} ${r.url()}`);
    });
  });

  afterAll(async () => {
    if (consumer && consumer.exitCode === null && consumer.signalCode === null) {
      const gone = new Promise((r) => consumer!.once('exit', r));
      consumer.kill('SIGTERM');
      await gone;
    }
    await browser?.close();
    await serve?.stop();
  });

  /**
   * Saves the viewport as <name>.png once no highlight of a live change is showing: waits for a
   * moment without one (live updates may keep adding them; then it goes on after 15 s), and lets
   * the last one fade (1.6 s).
   */
  async function shot(name: string): Promise<void> {
    await page
      .waitForFunction(() => document.querySelectorAll('.is-flashing').length === 0, undefined, {
        timeout: 15_000,
      })
      .catch(() => undefined);
    // No hover look on whatever was clicked last.
    await page.mouse.move(1279, 799);
    await page.waitForTimeout(1700);
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  }

  /** Clicks a navigation entry and waits for an element the view always shows. */
  async function nav(path: string, ready: string): Promise<void> {
    await page.locator(`[data-test=nav-${path}]`).click();
    await page.locator(ready).first().waitFor();
  }

  /** Opens an Element Plus select and picks the visible option whose text is exactly `text`. */
  async function choose(select: Locator, text: string): Promise<void> {
    await select.click();
    const option = page
      .locator('.el-select-dropdown__item:visible')
      .filter({ hasText: new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) });
    await option.first().click();
    await expect.poll(() => select.textContent(), { timeout: WAIT }).toContain(text);
  }

  /** A text box by its hook: Element Plus puts the attribute on the <input> itself or on a wrapper. */
  function field(name: string): Locator {
    return page.locator(`input[data-test=${name}], [data-test=${name}] input`).first();
  }

  async function openTopic(): Promise<void> {
    await nav('topics', '[data-test=view-TopicsView]');
    await page.locator(`[data-test=topic-row-${TOPIC}] a`).click();
    await page.locator('[data-test=topic-name]').getByText(TOPIC, { exact: true }).waitFor();
    await page.locator('[data-test=partition-2-isr]').waitFor();
  }

  /** Waits until every partition's leader and ISR, as the table shows them, satisfy `ok`. */
  async function waitPartitions(
    ok: { avoid: number; isrSize: number } | { isrSize: number },
  ): Promise<void> {
    await page.waitForFunction(
      ({ partitions, avoid, isrSize }) =>
        partitions.every((p) => {
          const leader = document.querySelector(`[data-test=partition-${p}-leader]`)?.textContent?.trim();
          const isr = (document.querySelector(`[data-test=partition-${p}-isr]`)?.textContent ?? '')
            .split(',')
            .map((s: string) => s.trim())
            .filter(Boolean);
          if (!leader || !/^\d+$/.test(leader) || isr.length !== isrSize) return false;
          return avoid < 0 || (leader !== String(avoid) && !isr.includes(String(avoid)));
        }),
      { partitions: PARTITIONS, avoid: 'avoid' in ok ? ok.avoid : -1, isrSize: ok.isrSize },
      { timeout: WAIT },
    );
  }

  async function text(selector: string): Promise<string> {
    return ((await page.locator(selector).first().textContent()) ?? '').trim();
  }

  it('creates a topic in the Topics view’s dialog', async (ctx) => {
    needChromium(ctx);
    await page.goto(serve.ui);
    await page.locator('[data-test=broker-3-state]').getByText('Up', { exact: true }).waitFor();
    await nav('topics', '[data-test=view-TopicsView]');
    await page.locator('[data-test=topics-create] button').click();
    const dialog = page.locator('[data-test=create-dialog]');
    await dialog.waitFor();
    await dialog.locator('[data-test=create-name] input').fill(TOPIC);
    for (const [field, value] of [
      ['create-partitions', '3'],
      ['create-rf', '3'],
    ]) {
      const input = dialog.locator(`[data-test=${field}] input`);
      await input.fill(value);
      await input.press('Tab');
    }
    await page.locator('[data-test=create-submit] button').click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator(`[data-test=topic-row-${TOPIC}]`);
    await row.waitFor();
    await page.locator(`[data-test=topic-state-${TOPIC}]`).getByText('Healthy').waitFor();
    // The "created" notice goes away on its own.
    await expect.poll(() => page.locator('.el-message').count(), { timeout: WAIT }).toBe(0);
    await shot('topics');
  }, 120_000);

  it('produces a JSON record with a key and a header, then a templated run of 200', async (ctx) => {
    needChromium(ctx);
    await nav('produce', '[data-test=view-ProducerView]');
    await choose(page.locator('[data-test=producer-topic]'), TOPIC);
    await field('producer-key').fill('customer-7');
    const editor = page.locator('[data-test=json-editor] .cm-content');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    // insertText, like a paste: CodeMirror's bracket closing does not double the braces.
    await page.keyboard.insertText(JSON.stringify(SINGLE_VALUE, null, 2));
    await page.locator('[data-test=add-header]').click();
    const header = page.locator('[data-test=header-0] input');
    await header.nth(0).fill('trace-id');
    await header.nth(1).fill('e2e-1');
    await page.locator('[data-test=preview-key]').getByText('customer-7').waitFor();
    await page.locator('[data-test=producer-send]').click();
    await page.locator('[data-test=producer-sent]').getByText(/Sent to partition \d at offset 0\./).waitFor();

    // The run: templates on, a key and a value per record.
    await page.locator('[data-test=producer-template]').click();
    await field('producer-key').fill('order-{{i}}');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText('{"seq": {{i}}, "tag": "bulk-{{i}}"}');
    await page.locator('[data-test=mode-count]').click();
    const count = field('producer-count');
    await count.fill(String(RUN_COUNT));
    await count.press('Tab');
    const send = page.locator('[data-test=producer-send]');
    await expect.poll(() => send.textContent(), { timeout: WAIT }).toContain(String(RUN_COUNT));
    await send.click();
    const progress = page.locator('[data-test=run-progress]');
    await progress.locator('[data-test=run-status]').getByText('Done').waitFor();
    expect(await text('[data-test=run-acknowledged]')).toBe(String(RUN_COUNT));
    expect(await text('[data-test=run-failed]')).toBe('0');
    await shot('produce');
  }, 120_000);

  it('browses from the beginning, searches by text and shows a record’s decoded JSON', async (ctx) => {
    needChromium(ctx);
    await nav('browse', '[data-test=view-BrowserView]');
    await choose(page.locator('.browser-topic'), TOPIC);
    await choose(page.locator('.browser-start-kind'), 'Beginning');
    await page.locator('.browser-run').click();
    const total = RUN_COUNT + 1;
    await page.locator('[data-test=row-count]').getByText(`${total} rows`, { exact: true }).waitFor();
    await page.locator('[data-test=progress]').getByText('Finished.').waitFor();
    await page.locator('[data-test=browser-row]').first().waitFor();
    await shot('browse');

    // "bulk-17" is in records 17 and 170…179 of the run, and nowhere else.
    await choose(page.locator('.browser-filter-kind'), 'Text');
    await page.locator('.browser-filter-expression input').fill('bulk-17');
    await page.locator('.browser-run').click();
    await page.locator('[data-test=row-count]').getByText('11 rows', { exact: true }).waitFor();
    await page.locator('[data-test=progress]').getByText('Finished.').waitFor();
    await expect
      .poll(() => page.locator('[data-test=browser-row]').count(), { timeout: WAIT })
      .toBe(11);
    const values = await page.locator('[data-test=browser-row] [role=gridcell]:nth-child(5)').allTextContents();
    const seqs = values.map((v) => (JSON.parse(v) as { seq: number; tag: string }).seq).sort((a, b) => a - b);
    expect(seqs).toEqual([17, 170, 171, 172, 173, 174, 175, 176, 177, 178, 179]);

    // The single record: its side panel decodes the JSON and lists the header.
    await page.locator('.browser-filter-expression input').fill('e2e-single');
    await page.locator('.browser-run').click();
    await page.locator('[data-test=row-count]').getByText('1 row', { exact: true }).waitFor();
    await page.locator('[data-test=progress]').getByText('Finished.').waitFor();
    await page.locator('[data-test=browser-row]').first().click();
    const panel = page.locator('[data-test=record-panel]');
    await panel.waitFor();
    expect(await text('[data-test=fact-offset]')).toBe('0');
    await panel.locator('[data-test=record-value] [data-test=detected-kind]').getByText(/JSON/).waitFor();
    const decoded = await panel.locator('[data-test=record-value] [data-test=decoded]').textContent();
    expect(JSON.parse(decoded ?? '')).toEqual(SINGLE_VALUE);
    expect((await panel.locator('[data-test=record-key] [data-test=decoded]').textContent())?.trim()).toBe(
      'customer-7',
    );
    const headerCells = await panel.locator('[data-test=record-headers] td').allTextContents();
    expect(headerCells.map((c) => c.trim())).toEqual(['trace-id', 'e2e-1']);
    await shot('browse-record');
  }, 150_000);

  it('shows a kcat consumer group and its lag falling to 0', async (ctx) => {
    needChromium(ctx);
    const kcat = requireTool('kcat', undefined, ctx);
    consumer = spawn(
      kcat.path!,
      ['-b', serve.bootstrap, '-G', GROUP, '-X', 'auto.offset.reset=earliest', '-q', '-u', '-f', '%o\n', TOPIC],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    consumer.stdout!.on('data', (d: Buffer) => (consumed += d.toString().split('\n').length - 1));
    consumer.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    consumer.once('exit', (code) => {
      if (consumed < RUN_COUNT + 1) pageErrors.push(`kcat exited early (${code}): ${stderr}`);
    });

    await nav('groups', '[data-test=view-GroupsView]');
    await page.locator(`[data-test=group-link-${GROUP}]`).waitFor();
    await page.locator(`[data-test=group-lag-${GROUP}]`).getByText('0 records', { exact: true }).waitFor();
    expect(await text(`[data-test=group-members-${GROUP}]`)).toBe('1');
    // kcat printed one line per record it read (-u: unbuffered).
    await expect.poll(() => consumed, { timeout: WAIT }).toBe(RUN_COUNT + 1);
    await shot('groups');

    await page.locator(`[data-test=group-link-${GROUP}]`).click();
    await page.locator('[data-test=view-GroupView]').waitFor();
    await page.locator('[data-test=group-total-lag]').getByText('0 records', { exact: true }).waitFor();
    await page.locator('[data-test=group-state]').getByText(/Stable/).waitFor();
    for (const p of PARTITIONS)
      await page.locator(`[data-test=partitions-table] [data-test=partition-${TOPIC}-${p}-owner]`).waitFor();
    await shot('group');
  }, 150_000);

  it('kills the leader of partition 0 from the Cluster view: leaders move, the ISR shrinks', async (ctx) => {
    needChromium(ctx);
    await openTopic();
    await waitPartitions({ isrSize: 3 });
    victim = Number(await text('[data-test=partition-0-leader]'));
    expect([1, 2, 3]).toContain(victim);
    await shot('topic-partitions');
    await page.getByRole('tab', { name: 'Config' }).click();
    await page.locator('[data-test=config-tab] [data-test="config-retention.ms"]').waitFor();
    await shot('topic-config');

    await nav('cluster', '[data-test=broker-cards]');
    await page.locator(`[data-test=broker-${victim}-kill]`).click();
    await page.locator(`[data-test=broker-${victim}-confirm-kill] [data-test=confirm-kill]`).click();
    await page.locator(`[data-test=broker-${victim}-start]`).waitFor();
    await page
      .locator(`[data-test=broker-${victim}-state]`)
      .getByText(/^(Down|Stopped)$/)
      .waitFor();

    await openTopic();
    await waitPartitions({ avoid: victim, isrSize: 2 });
    const downColumn = page.locator(`[data-test=grid-broker-${victim}]`);
    await downColumn.getByText('down').waitFor();
    expect(await downColumn.getAttribute('class')).toContain('is-down');
    for (const p of PARTITIONS) {
      const leader = Number(await text(`[data-test=partition-${p}-leader]`));
      expect(await page.locator(`[data-test=grid-${p}-${leader}]`).getAttribute('data-role')).toBe('leader');
      expect(await page.locator(`[data-test=grid-${p}-${victim}]`).getAttribute('data-role')).not.toBe(
        'leader',
      );
    }
    expect(await text('[data-test=figure-under-replicated]')).toBe('3');
    await shot('topic-partitions-broker-down');
  }, 150_000);

  it('starts the broker again from the Cluster view: the ISR recovers', async (ctx) => {
    needChromium(ctx);
    expect(victim).toBeGreaterThan(0);
    await nav('cluster', '[data-test=broker-cards]');
    await page.locator(`[data-test=broker-${victim}-start]`).click();
    await page.locator(`[data-test=broker-${victim}-state]`).getByText('Up', { exact: true }).waitFor();

    await openTopic();
    await waitPartitions({ isrSize: 3 });
    expect(await page.locator(`[data-test=grid-broker-${victim}]`).getAttribute('class')).not.toContain(
      'is-down',
    );
    expect(await text('[data-test=figure-under-replicated]')).toBe('0');

    await nav('cluster', '[data-test=broker-cards]');
    for (const id of [1, 2, 3])
      await page.locator(`[data-test=broker-${id}-state]`).getByText('Up', { exact: true }).waitFor();
    await page.locator('[data-test=timeline-event]').first().waitFor();
    await shot('cluster');
    // The timeline told of the group, in a sentence with the right number.
    await field('timeline-filter').fill(GROUP);
    await page
      .locator('[data-test=timeline-sentence]')
      .getByText(`Group ${GROUP} is Stable with 1 member`, { exact: true })
      .first()
      .waitFor();
    await field('timeline-filter').fill('');
  }, 150_000);

  it('shows the settings, and the cluster in the dark theme', async (ctx) => {
    needChromium(ctx);
    await nav('settings', '[data-test=theme-select]');
    await page.locator('[data-test=engine-version]').waitFor();
    await shot('settings');
    await page.locator('[data-test=theme-select]').getByText('Dark', { exact: true }).click();
    await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
    await nav('cluster', '[data-test=broker-cards]');
    await page.locator('[data-test=broker-1-state]').getByText('Up', { exact: true }).waitFor();
    await shot('cluster-dark');
  }, 90_000);

  it('ran with no script errors and no policy violations', (ctx) => {
    needChromium(ctx);
    expect(pageErrors).toEqual([]);
  });
});
