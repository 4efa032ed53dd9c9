// A CPU profile of the page (Chrome DevTools Protocol) around one action, summarized as the
// functions with the most self time — where the time of a missed target goes. Profiled runs are
// extra runs; the sampling overhead never touches the measured ones.
import { performance } from 'node:perf_hooks';
import { basename } from 'node:path';

export async function profile(page, action, { top = 10 } = {}) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    const started = performance.now();
    const result = await action();
    const wallMs = performance.now() - started;
    const { profile: p } = await cdp.send('Profiler.stop');
    return { result, wallMs, ...summarize(p, top) };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

function summarize(p, top) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map(); // node id → µs
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i + 1] ?? 0;
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + dt);
  }
  const byFunction = new Map();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of self) {
    const f = byId.get(id).callFrame;
    totalUs += us;
    if (f.functionName === '(idle)' || f.functionName === '(program)') {
      if (f.functionName === '(idle)') idleUs += us;
    }
    const where = f.url ? `${basename(f.url.split('?')[0])}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    topSelf: [...byFunction]
      .filter(([k]) => !k.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({ fn, ms: Math.round(us / 100) / 10, share: busyUs ? us / busyUs : 0 })),
  };
}
