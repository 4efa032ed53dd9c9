#!/usr/bin/env node
// The GUI speed benchmark of issue 5 ("Speed"): real Chromium (Debian's, via playwright-core)
// against a real `eddy serve`. Writes docs/benchmarks-ui.md and docs/benchmarks-ui.json.
//
//   node scripts/build-engine.mjs --quiet && npx electron-vite build && node bench/ui.mjs [--quick]
//
// Options: --quick (200 MiB search partition instead of 1 GiB; everything else the same),
// --only ready,topics,scroll,search (the other cases keep their figures in the docs), --no-write
// (print only), --output FILE (Markdown there instead), --render-only (Markdown again from the JSON).
// See bench/ui/README.md for what each case measures.
/* global window, location -- only inside page.evaluate / waitForFunction callbacks */
import { performance } from 'node:perf_hooks';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { browseOverWebSocket } from './ui/contract.mjs';
import { consumeAll, createManyTopics, createTopic, kibValue, produce, smallValue } from './ui/data.mjs';
import { profile } from './ui/profile.mjs';
import { armKeystroke, readLoadMarks, scrollFrames, timeRoute, watchBrokersUp } from './ui/page.mjs';
import { machineInfo, renderMarkdown } from './ui/report.mjs';
import { killAll, startServe } from './ui/serve.mjs';
import { frameStats, summary } from './ui/stats.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const MiB = 1024 * 1024;

function parseArgs(argv) {
  const opts = { quick: false, write: true, output: null, only: null, renderOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--no-write') opts.write = false;
    else if (a === '--output') opts.output = argv[++i];
    else if (a === '--only') opts.only = new Set(argv[++i].split(','));
    else if (a === '--render-only') opts.renderOnly = true;
    else if (a === '-h' || a === '--help') {
      console.log(
        'usage: node bench/ui.mjs [--quick] [--only ready,topics,scroll,search] [--no-write] [--output FILE] [--render-only]',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const CONFIG = {
  reps: 5,
  readyBrokers: 3,
  topics: 5_000,
  /** One CreateTopics request for all (the controller commits it in one metadata append). */
  topicsPerRequest: 5_000,
  scrollRecords: 100_000,
  scrollMs: 3_000,
  searchBytes: opts.quick ? 200 * MiB : 1024 * MiB,
  searchReps: 3,
};
const wanted = (name) => !opts.only || opts.only.has(name);
const log = (...a) => console.error(`[bench:ui ${new Date().toISOString().slice(11, 19)}]`, ...a);

function findChromium() {
  if (process.env.EDDY_CHROMIUM) return process.env.EDDY_CHROMIUM;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  throw new Error('Chromium is not installed (apt-get install -y chromium, or set EDDY_CHROMIUM=<path>)');
}

async function newPage(browser, pageErrors) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    locale: 'en-US',
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  return { context, page };
}

async function waitBrokerUp(page, id = 1) {
  await page
    .locator(`[data-test=broker-${id}-state]`)
    .getByText('Up', { exact: true })
    .waitFor({ timeout: 60_000 });
}

// ---------------------------------------------------------------------------------------------
// 1. UI ready

/** The built renderer's JavaScript (what the window loads before it can show anything). */
function scriptInfo() {
  const dir = join(ROOT, 'out', 'renderer', 'assets');
  let bytes = 0;
  let lines = 0;
  let chunks = 0;
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.js') || f.includes('worker')) continue;
    const text = readFileSync(join(dir, f), 'utf8');
    bytes += Buffer.byteLength(text);
    lines += text.split('\n').length;
    chunks++;
  }
  // Minified code has long lines; bundled source keeps its formatting.
  return { kib: Math.round(bytes / 1024), chunks, minified: bytes / Math.max(1, lines) > 300 };
}

async function caseReady(browser, pageErrors) {
  const serve = await startServe(ROOT, { brokers: CONFIG.readyBrokers });
  try {
    const runs = [];
    for (let i = 0; i <= CONFIG.reps; i++) {
      const { context, page } = await newPage(browser, pageErrors);
      try {
        await page.addInitScript(watchBrokersUp, CONFIG.readyBrokers);
        await page.goto(serve.ui);
        await page.waitForFunction(() => window.__eddyBench?.marks.allUpPainted !== undefined, null, {
          timeout: 60_000,
        });
        const marks = await page.evaluate(readLoadMarks);
        if (i > 0) runs.push(marks); // the first load warms the server's file reads
        log(
          `ready #${i}${i === 0 ? ' (warm-up)' : ''}: all brokers Up painted at ${marks.allUpPainted.toFixed(0)} ms`,
        );
      } finally {
        await context.close();
      }
    }
    // One extra, profiled load (not in the figures): where the time to ready goes.
    const { context, page } = await newPage(browser, pageErrors);
    let loadProfile;
    try {
      await page.addInitScript(watchBrokersUp, CONFIG.readyBrokers);
      await page.goto('about:blank');
      loadProfile = await profile(page, async () => {
        await page.goto(serve.ui);
        await page.waitForFunction(() => window.__eddyBench?.marks.allUpPainted !== undefined, null, {
          timeout: 60_000,
        });
      });
    } finally {
      await context.close();
    }
    const pick = (k) => summary(runs.map((r) => r[k]));
    return {
      brokers: CONFIG.readyBrokers,
      runs,
      profiles: { load: loadProfile },
      script: scriptInfo(),
      scriptsLoadedMs: pick('scriptsLoaded'),
      firstContentfulPaintMs: pick('firstContentfulPaint'),
      domContentLoadedMs: pick('domContentLoaded'),
      firstBrokerUpPaintedMs: pick('firstUpPainted'),
      allBrokersUpPaintedMs: pick('allUpPainted'),
    };
  } finally {
    await serve.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// 2. 5,000 topics

const TOPIC_ROW = '[data-test^="topic-row-"]';
const TOPICS_COUNT = '[data-test=topics-count]';

async function caseTopics(browser, pageErrors) {
  const serve = await startServe(ROOT, { brokers: 1 });
  try {
    log(`creating ${CONFIG.topics} topics, ${CONFIG.topicsPerRequest} per CreateTopics request…`);
    const created = await createManyTopics(ROOT, serve.bootstrap, {
      count: CONFIG.topics,
      prefix: 'bench-topic-',
      perRequest: CONFIG.topicsPerRequest,
      onRequest: (done, ms) => log(`  ${done} topics (this request ${(ms / 1000).toFixed(1)} s)`),
    });
    const createMs = created.ms;
    log(`created in ${(createMs / 1000).toFixed(1)} s`);
    const full = `${CONFIG.topics.toLocaleString('en-US')} of ${CONFIG.topics.toLocaleString('en-US')}`;
    const { context, page } = await newPage(browser, pageErrors);
    try {
      await page.goto(serve.ui);
      await waitBrokerUp(page);
      // Cold: a fresh page (the topics store empty), first visit of the Topics view.
      const cold = [];
      for (let i = 0; i <= CONFIG.reps; i++) {
        await page.evaluate(() => (location.hash = '#/cluster'));
        await page.reload();
        await waitBrokerUp(page);
        await page.waitForTimeout(300);
        const first = await page.evaluate(timeRoute, {
          hash: '#/topics',
          selector: TOPIC_ROW,
          timeoutMs: 120_000,
        });
        const t0 = Date.now();
        await page.locator(TOPICS_COUNT).getByText(full).waitFor({ timeout: 120_000 });
        if (i > 0) cold.push(first);
        log(
          `topics cold #${i}: first rows painted ${first.painted.toFixed(0)} ms (full count +${Date.now() - t0} ms)`,
        );
      }
      // Warm: back to the view with the list already in the store.
      const warm = [];
      for (let i = 0; i <= CONFIG.reps; i++) {
        await page.evaluate(() => (location.hash = '#/cluster'));
        await page.locator('[data-test=broker-1-state]').waitFor();
        await page.waitForTimeout(300);
        const r = await page.evaluate(timeRoute, {
          hash: '#/topics',
          selector: TOPIC_ROW,
          timeoutMs: 60_000,
        });
        if (i > 0) warm.push(r);
        log(`topics warm #${i}: first rows painted ${r.painted.toFixed(0)} ms`);
      }
      await page.locator(TOPICS_COUNT).getByText(full).waitFor({ timeout: 60_000 });
      const renderedRows = await page.locator(TOPIC_ROW).count();
      // A keystroke in the filter: keydown → the list (and its count) re-rendered and painted.
      const input = page.locator('[data-test=topics-filter] input');
      const keys = [];
      for (const [i, ch] of ['1', '2', '3', '4', '5', '6'].entries()) {
        await input.fill('');
        await page.locator(TOPICS_COUNT).getByText(full).waitFor({ timeout: 30_000 });
        await page.waitForTimeout(300);
        await input.focus();
        await page.evaluate(armKeystroke, { selector: TOPICS_COUNT });
        await page.keyboard.press(ch);
        await page.waitForFunction(() => window.__eddyKey?.done === true, null, { timeout: 30_000 });
        const r = await page.evaluate(() => window.__eddyKey);
        if (i > 0) keys.push(r);
        log(`filter "${ch}" #${i}: painted ${r.painted.toFixed(0)} ms (${r.text.trim()})`);
      }
      // Extra, profiled runs (not in the figures above): where a first visit and a keystroke spend time.
      await page.evaluate(() => (location.hash = '#/cluster'));
      await page.reload();
      await waitBrokerUp(page);
      await page.waitForTimeout(300);
      const coldProfile = await profile(page, () =>
        page.evaluate(timeRoute, { hash: '#/topics', selector: TOPIC_ROW, timeoutMs: 120_000 }),
      );
      await page.locator(TOPICS_COUNT).getByText(full).waitFor({ timeout: 120_000 });
      await input.fill('');
      await page.waitForTimeout(300);
      await input.focus();
      await page.evaluate(armKeystroke, { selector: TOPICS_COUNT });
      const keyProfile = await profile(page, async () => {
        await page.keyboard.press('7');
        await page.waitForFunction(() => window.__eddyKey?.done === true, null, { timeout: 30_000 });
      });
      return {
        topics: CONFIG.topics,
        profiles: { firstVisit: coldProfile, filterKeystroke: keyProfile },
        brokers: 1,
        createTopicsMs: createMs,
        topicsPerRequest: CONFIG.topicsPerRequest,
        createRequestsMs: created.requests,
        renderedRowsInDom: renderedRows,
        coldFirstRowsPaintedMs: summary(cold.map((r) => r.painted)),
        coldFirstRowsDomMs: summary(cold.map((r) => r.dom)),
        warmFirstRowsPaintedMs: summary(warm.map((r) => r.painted)),
        filterKeystrokePaintedMs: summary(keys.map((r) => r.painted)),
        filterKeystrokeDomMs: summary(keys.map((r) => r.dom)),
        filterResults: keys.map((r) => r.text.trim()),
      };
    } finally {
      await context.close();
    }
  } finally {
    await serve.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Scrolling 100,000 rows, and 4. search throughput (one cluster for both)

const SCROLLER = '[data-test=browser-results-scroller]';

async function caseScroll(browser, pageErrors, serve) {
  const topic = 'bench-scroll';
  await createTopic(ROOT, serve.bootstrap, topic);
  log(`producing ${CONFIG.scrollRecords} small records…`);
  const produced = await produce(ROOT, serve.bootstrap, {
    topic,
    count: CONFIG.scrollRecords,
    value: smallValue,
  });
  log(`produced in ${(produced.ms / 1000).toFixed(1)} s`);
  const { context, page } = await newPage(browser, pageErrors);
  try {
    await page.goto(serve.ui);
    await waitBrokerUp(page);
    await page.evaluate((t) => (location.hash = `#/browse?topic=${t}`), topic);
    await page.locator('.browser-start-kind').click();
    await page.locator('.el-select-dropdown__item').getByText('Beginning', { exact: true }).click();
    const limit = page.locator('.browser-limit input');
    await limit.fill(String(CONFIG.scrollRecords));
    const started = performance.now();
    await limit.press('Enter');
    const all = `${CONFIG.scrollRecords.toLocaleString('en-US')} rows`;
    await page.locator('[data-test=row-count]').getByText(all, { exact: true }).waitFor({ timeout: 300_000 });
    await page.locator('[data-test=progress]').getByText('Finished.').waitFor({ timeout: 300_000 });
    const loadMs = performance.now() - started;
    log(`browsed ${all} in ${(loadMs / 1000).toFixed(1)} s`);
    await page.waitForTimeout(500);
    const common = { selector: SCROLLER, rowHeight: 28, headerHeight: 30 };
    // Chromium's own counters (script, style, layout time) around each pattern.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () =>
      Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const withMetrics = async (args) => {
      const before = await metrics();
      const out = await page.evaluate(scrollFrames, args);
      const after = await metrics();
      const d = (k) => Math.round((after[k] - before[k]) * 1000 * 10) / 10;
      out.breakdown = {
        taskMs: d('TaskDuration'),
        scriptMs: d('ScriptDuration'),
        recalcStyleMs: d('RecalcStyleDuration'),
        layoutMs: d('LayoutDuration'),
        layouts: after.LayoutCount - before.LayoutCount,
      };
      return out;
    };
    const idle = await withMetrics({ ...common, durationMs: 1_000, pattern: 'idle' });
    const fling = await withMetrics({
      ...common,
      durationMs: CONFIG.scrollMs,
      pattern: 'fling',
      pxPerFrame: 280,
    });
    const jump = await withMetrics({ ...common, durationMs: CONFIG.scrollMs, pattern: 'jump' });
    await cdp.detach().catch(() => undefined);
    const domRows = await page.locator('[data-test=browser-row]').count();
    const jumpProfile = await profile(page, () =>
      page.evaluate(scrollFrames, { ...common, durationMs: 1_500, pattern: 'jump' }),
    );
    const result = {
      records: CONFIG.scrollRecords,
      produceMs: produced.ms,
      browseAllRowsMs: loadMs,
      rowsInDom: domRows,
      scrollHeightPx: fling.scrollHeight,
      idle: { ...frameStats(idle.stamps), breakdown: idle.breakdown },
      fling: {
        ...frameStats(fling.stamps),
        pxPerFrame: 280,
        blankFrames: fling.blank,
        checkedFrames: fling.checked,
        breakdown: fling.breakdown,
      },
      jump: {
        ...frameStats(jump.stamps),
        blankFrames: jump.blank,
        checkedFrames: jump.checked,
        breakdown: jump.breakdown,
      },
      profiles: { thumbDrag: { ...jumpProfile, result: undefined } },
    };
    log(
      `scroll: idle ${result.idle.fps.toFixed(1)} fps; fling ${result.fling.fps.toFixed(1)} fps p95 ${result.fling.p95FrameMs.toFixed(1)} ms; jump ${result.jump.fps.toFixed(1)} fps p95 ${result.jump.p95FrameMs.toFixed(1)} ms`,
    );
    return result;
  } finally {
    await context.close();
  }
}

async function caseSearch(serve) {
  const topic = 'bench-search';
  await createTopic(ROOT, serve.bootstrap, topic);
  const count = Math.round(CONFIG.searchBytes / 1024);
  log(`producing ${count} records of 1 KiB (${(CONFIG.searchBytes / MiB).toFixed(0)} MiB)…`);
  const produced = await produce(ROOT, serve.bootstrap, { topic, count, value: kibValue() });
  log(
    `produced in ${(produced.ms / 1000).toFixed(1)} s (${(produced.bytes / 1e6 / (produced.ms / 1000)).toFixed(0)} MB/s)`,
  );
  const query = (caseSensitive) => ({
    topic,
    partitions: [0],
    start: { kind: 'beginning' },
    limit: 500,
    live: false,
    filter: { kind: 'text', expression: 'no record holds this text', field: 'value', caseSensitive },
  });
  const runs = [];
  for (const [i, caseSensitive] of [false, ...Array(CONFIG.searchReps).fill(false), true].entries()) {
    const r = await browseOverWebSocket(serve, query(caseSensitive));
    if (r.scannedRecords !== count || r.matched !== 0)
      throw new Error(`the search read ${r.scannedRecords} of ${count} records and matched ${r.matched}`);
    // The scan rate once reading has started (the first batch arrives after the worker, the
    // consumer's connection and the ListOffsets are up).
    const first = r.samples.find(([, b]) => b > 0) ?? r.samples[0];
    const steady = (r.scannedBytes - first[1]) / 1e6 / ((r.elapsedMs - first[0]) / 1000);
    const run = {
      warmUp: i === 0,
      caseSensitive,
      elapsedMs: r.elapsedMs,
      scannedBytes: r.scannedBytes,
      scannedRecords: r.scannedRecords,
      mbPerSec: r.scannedBytes / 1e6 / (r.elapsedMs / 1000),
      steadyMbPerSec: steady,
      firstBatchMs: first[0],
      batches: r.samples.length,
    };
    runs.push(run);
    log(
      `search #${i}${run.warmUp ? ' (warm-up)' : ''}${caseSensitive ? ' case-sensitive' : ''}: ${run.mbPerSec.toFixed(0)} MB/s overall, ${steady.toFixed(0)} MB/s steady, ${(r.elapsedMs / 1000).toFixed(1)} s`,
    );
  }
  // Reference: Eddy's Consumer alone, same fetch sizes as the browse worker, no filter, no RPC.
  const baseline = await consumeAll(ROOT, serve.bootstrap, topic, count);
  log(`consumer alone: ${baseline.mbPerSec.toFixed(0)} MB/s`);
  const measured = runs.filter((r) => !r.warmUp && !r.caseSensitive);
  const cs = runs.find((r) => r.caseSensitive);
  return {
    partitionValueBytes: count * 1024,
    records: count,
    produceMs: produced.ms,
    runs,
    mbPerSec: summary(measured.map((r) => r.mbPerSec)),
    steadyMbPerSec: summary(measured.map((r) => r.steadyMbPerSec)),
    caseSensitiveMbPerSec: cs?.mbPerSec ?? null,
    consumerAlone: baseline,
  };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  for (const f of ['out/renderer/index.html', 'out/cli/eddy.mjs', 'out/engine/client.mjs'])
    if (!existsSync(join(ROOT, f)))
      throw new Error(
        `${f} is missing: run node scripts/build-engine.mjs --quiet && npx electron-vite build`,
      );
  const executablePath = findChromium();
  const startedAt = new Date();
  const machine = machineInfo();
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  const chromiumVersion = browser.version();
  const pageErrors = [];
  const results = {};
  const errors = {};
  const attempt = async (name, fn) => {
    if (!wanted(name)) return;
    log(`— ${name}`);
    const loadBefore = loadavg();
    try {
      results[name] = { ...(await fn()), loadAverage: { before: loadBefore, after: loadavg() } };
    } catch (err) {
      errors[name] = err instanceof Error ? err.message : String(err);
      log(`${name} failed: ${errors[name]}`);
    }
  };
  try {
    await attempt('ready', () => caseReady(browser, pageErrors));
    await attempt('topics', () => caseTopics(browser, pageErrors));
    if (wanted('scroll') || wanted('search')) {
      const serve = await startServe(ROOT, { brokers: 1 });
      try {
        await attempt('scroll', () => caseScroll(browser, pageErrors, serve));
        await attempt('search', () => caseSearch(serve));
      } finally {
        await serve.stop();
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
  }
  const finishedAt = new Date();
  for (const v of Object.values(results)) v.measuredAt = startedAt.toISOString();
  // --only with the docs as the target: the other cases keep their last figures (each says when).
  const jsonTarget = opts.output
    ? resolve(opts.output).replace(/\.md$/, '') + '.json'
    : join(ROOT, 'docs', 'benchmarks-ui.json');
  let merged = results;
  let mergedErrors = errors;
  if (opts.only && (opts.write || opts.output) && existsSync(jsonTarget)) {
    const old = JSON.parse(readFileSync(jsonTarget, 'utf8'));
    if (old.mode === (opts.quick ? 'quick' : 'full')) {
      for (const v of Object.values(old.results ?? {})) v.measuredAt ??= old.startedAt;
      merged = { ...old.results, ...results };
      mergedErrors = {
        ...Object.fromEntries(Object.entries(old.errors ?? {}).filter(([k]) => !(k in results))),
        ...errors,
      };
    }
  }
  const report = {
    mode: opts.quick ? 'quick' : 'full',
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    machine: { ...machine, chromium: chromiumVersion, loadAverageAtEnd: machineInfo().loadAverage },
    config: CONFIG,
    results: merged,
    errors: mergedErrors,
    pageErrors: [...new Set(pageErrors)].slice(0, 20),
  };
  const markdown = renderMarkdown(report);
  console.log(markdown);
  if (opts.write || opts.output) {
    const md = opts.output ? resolve(opts.output) : join(ROOT, 'docs', 'benchmarks-ui.md');
    mkdirSync(dirname(md), { recursive: true });
    writeFileSync(md, await formatted(withNotes(markdown, md), md));
    const json = jsonTarget;
    writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${md} and ${json}`);
  }
  if (Object.keys(errors).length > 0) process.exitCode = 1;
}

for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
process.once('exit', killAll);

/** The Markdown as `npm run format` would leave it (prettier, the repo's config), so the two agree. */
async function formatted(markdown, path) {
  try {
    const prettier = await import('prettier');
    const config = (await prettier.resolveConfig(path)) ?? {};
    return await prettier.format(markdown, { ...config, parser: 'markdown' });
  } catch {
    return markdown;
  }
}

/** Keeps the hand-written block between `<!-- notes:begin -->` and `<!-- notes:end -->` of the old file. */
function withNotes(markdown, path) {
  if (!existsSync(path)) return markdown;
  const notes = /<!-- notes:begin -->[\s\S]*?<!-- notes:end -->/.exec(readFileSync(path, 'utf8'));
  return notes ? `${markdown}\n${notes[0]}\n` : markdown;
}

/** Rewrites the Markdown from the JSON (after a change to the report's wording). */
async function renderOnly() {
  const json = opts.output
    ? resolve(opts.output).replace(/\.md$/, '') + '.json'
    : join(ROOT, 'docs', 'benchmarks-ui.json');
  const md = json.replace(/\.json$/, '.md');
  writeFileSync(
    md,
    await formatted(withNotes(renderMarkdown(JSON.parse(readFileSync(json, 'utf8'))), md), md),
  );
  log(`wrote ${md}`);
}

(opts.renderOnly ? Promise.resolve().then(renderOnly) : main()).catch((err) => {
  console.error(err);
  killAll();
  process.exit(1);
});
