/* global window, document, location, performance, requestAnimationFrame, MessageChannel, MutationObserver */
// Functions that run inside the page (passed to page.evaluate / addInitScript, so each is
// self-contained). Times are performance.now() of the page: ms since its navigation started.
//
// "painted" = the first moment after the frame that shows the change: a requestAnimationFrame
// callback runs just before that frame is drawn, and a message posted from it arrives after.

/**
 * Init script: watches the DOM from the first byte and notes when broker cards first say "Up"
 * (one, then `expected`), with the frame after each, in `window.__eddyBench`.
 */
export function watchBrokersUp(expected) {
  const marks = {};
  window.__eddyBench = { marks };
  const painted = (name) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => (marks[name] = performance.now());
      channel.port2.postMessage(0);
    });
  };
  const check = () => {
    if (marks.allUpDom !== undefined) return;
    let up = 0;
    for (const el of document.querySelectorAll('[data-test^="broker-"][data-test$="-state"]'))
      if (el.textContent.trim() === 'Up') up++;
    if (up > 0 && marks.firstUpDom === undefined) {
      marks.firstUpDom = performance.now();
      painted('firstUpPainted');
    }
    if (up >= expected) {
      marks.allUpDom = performance.now();
      painted('allUpPainted');
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, characterData: true });
}

/** Navigation and paint timings of the current document, plus the marks of watchBrokersUp. */
export function readLoadMarks() {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
  return {
    ...window.__eddyBench.marks,
    responseEnd: nav?.responseEnd ?? null,
    scriptsLoaded: Math.max(
      0,
      ...performance
        .getEntriesByType('resource')
        .filter((e) => e.initiatorType === 'script' || e.name.endsWith('.js'))
        .map((e) => e.responseEnd),
    ),
    domContentLoaded: nav?.domContentLoadedEventEnd ?? null,
    load: nav?.loadEventEnd ?? null,
    firstContentfulPaint: paint['first-contentful-paint'] ?? null,
  };
}

/**
 * Sets `location.hash` and resolves with the ms until `selector` exists (dom) and until the frame
 * showing it was drawn (painted).
 */
export function timeRoute({ hash, selector, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let seen = false;
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`${selector} did not appear within ${timeoutMs} ms of ${hash}`));
    }, timeoutMs);
    const check = () => {
      if (seen || !document.querySelector(selector)) return;
      seen = true;
      observer.disconnect();
      clearTimeout(timer);
      const dom = performance.now() - t0;
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve({ dom, painted: performance.now() - t0 });
        channel.port2.postMessage(0);
      });
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    location.hash = hash;
  });
}

/**
 * Arms a measurement of the next keystroke: from the keydown (its event time) to the moment the
 * text of `selector` changes, and to the frame after. The result lands in `window.__eddyKey`.
 */
export function armKeystroke({ selector }) {
  const target = document.querySelector(selector);
  const before = target?.textContent ?? '';
  const state = { done: false };
  window.__eddyKey = state;
  let keydownAt = null;
  const onKey = (event) => {
    if (keydownAt === null) keydownAt = event.timeStamp;
  };
  document.addEventListener('keydown', onKey, { capture: true, once: true });
  const observer = new MutationObserver(() => {
    const now = document.querySelector(selector)?.textContent ?? '';
    if (now === before || keydownAt === null) return;
    observer.disconnect();
    const dom = performance.now() - keydownAt;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        Object.assign(state, { done: true, dom, painted: performance.now() - keydownAt, text: now });
      };
      channel.port2.postMessage(0);
    });
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
}

/**
 * Scrolls `selector` for `durationMs`, once per animation frame, and records the frame times.
 * pattern 'fling': `pxPerFrame` down each frame (wrapping at the end); 'jump': a random position
 * each frame (dragging the scrollbar thumb); 'idle': no scrolling (the frame clock's baseline).
 * A frame is "blank" when the row under the top edge of the viewport is not in the DOM.
 */
export function scrollFrames({ selector, durationMs, pattern, pxPerFrame, rowHeight, headerHeight }) {
  const el = document.querySelector(selector);
  if (!el) throw new Error(`${selector} is not on the page`);
  const max = el.scrollHeight - el.clientHeight;
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  return new Promise((resolve) => {
    el.scrollTop = 0;
    // The position is tracked here rather than read back: reading scrollTop would force a layout
    // inside this callback and move the browser's own work into the script's time.
    let top = 0;
    const stamps = [];
    let blank = 0;
    let checked = 0;
    const step = (ts) => {
      if (stamps.length > 0 && pattern !== 'idle') {
        // The scroll set one frame ago has been handled (scroll event, virtualizer, Vue) by now.
        const index = Math.max(0, Math.floor((top + 1) / rowHeight));
        checked++;
        if (!el.querySelector(`[aria-rowindex="${index + 1}"]`) && top > headerHeight) blank++;
      }
      stamps.push(ts);
      if (ts - stamps[0] >= durationMs) {
        resolve({ stamps, blank, checked, scrollHeight: el.scrollHeight, maxScrollTop: max });
        return;
      }
      if (pattern === 'fling') top = top + pxPerFrame >= max ? 0 : top + pxPerFrame;
      else if (pattern === 'jump') top = Math.floor(random() * max);
      if (pattern !== 'idle') el.scrollTop = top;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(() => requestAnimationFrame(step));
  });
}
