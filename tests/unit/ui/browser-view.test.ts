// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import BrowserView from '../../../src/renderer/views/BrowserView.vue';
import { EddyError } from '../../../src/shared/errors.js';
import {
  browseBatch,
  messageRow,
  messagesFake,
  mountWithFake,
  wireBytes,
  type MessagesFake,
} from './fakes/messages-fake.js';

// happy-dom does no layout: give the results scroller the height a window would (600 px).
let restoreLayout: (() => void) | null = null;
beforeEach(() => {
  const descriptor = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      if (this.classList.contains('browser-results-scroller')) return 600;
      return descriptor?.get?.call(this) ?? 0;
    },
  });
  restoreLayout = () => {
    if (descriptor) Object.defineProperty(HTMLElement.prototype, 'clientHeight', descriptor);
  };
});
afterEach(() => {
  restoreLayout?.();
  document.body.innerHTML = '';
});

async function openBrowser(fake: MessagesFake, path = '/browse?topic=orders') {
  const mounted = await mountWithFake(BrowserView, fake, path);
  await vi.waitFor(() => expect(mounted.wrapper.find('.browser-query-bar').exists()).toBe(true));
  return mounted;
}

async function runQuery(wrapper: Awaited<ReturnType<typeof openBrowser>>['wrapper'], fake: MessagesFake) {
  const asked = fake.queries.length;
  await wrapper.find('.browser-run').trigger('click');
  await vi.waitFor(() => expect(fake.queries.length).toBe(asked + 1));
  await vi.waitFor(() => expect(fake.open()).toBe(1));
}

const rows = (count: number, from = 0, partition = 0) =>
  Array.from({ length: count }, (_, i) => messageRow(partition, from + i));

describe('BrowserView', () => {
  it('runs the query from the form, receives batches and renders rows', async () => {
    const fake = messagesFake();
    const { wrapper } = await openBrowser(fake, '/browse?topic=orders&partition=2');
    expect(wrapper.find('[data-test=browse-empty]').text()).toContain('press Run');
    await runQuery(wrapper, fake);
    expect(fake.queries[0]).toEqual({
      topic: 'orders',
      partitions: [2],
      start: { kind: 'latest', count: 100 },
      limit: 500,
      live: false,
      filter: null,
      previewBytes: 8192,
    });
    fake.emit(
      browseBatch([messageRow(2, 40, { key: wireBytes('customer-7'), value: wireBytes('{"total":12.5}') })]),
    );
    await vi.waitFor(() => expect(wrapper.findAll('[data-test=browser-row]')).toHaveLength(1));
    const cells = wrapper.findAll('[data-test=browser-row] [role=gridcell]').map((c) => c.text());
    expect(cells[0]).toBe('2');
    expect(cells[1]).toBe('40');
    expect(cells[2]).toMatch(/^2026-11-25 \d\d:00:00\.040$/);
    expect(wrapper.find('[data-test=results-zone]').text()).toMatch(/^UTC/);
    expect(cells[3]).toBe('customer-7');
    expect(cells[4]).toBe('{"total":12.5}');
    expect(cells[5]).toBe('24 B');
    expect(wrapper.find('[data-test=progress-text]').text()).toContain('1 records scanned');
    fake.emit(browseBatch(rows(2, 41, 2), { scannedRecords: 3, matched: 3, caughtUp: true, done: true }));
    await vi.waitFor(() => expect(wrapper.findAll('[data-test=browser-row]')).toHaveLength(3));
    await vi.waitFor(() => expect(wrapper.find('[data-test=progress]').text()).toContain('Finished.'));
    expect(fake.open()).toBe(0);
    expect(wrapper.find('[data-test=row-count]').text()).toBe('3 rows');
    wrapper.unmount();
  });

  it('keeps only a window of DOM rows for 100,000 records', async () => {
    const fake = messagesFake();
    const { wrapper } = await openBrowser(fake);
    await runQuery(wrapper, fake);
    for (let b = 0; b < 10; b++) fake.emit(browseBatch(rows(10_000, b * 10_000)));
    await vi.waitFor(() => expect(wrapper.find('[data-test=row-count]').text()).toBe('100,000 rows'));
    await flushPromises();
    const rendered = wrapper.findAll('[data-test=browser-row]');
    expect(rendered.length).toBeGreaterThan(10);
    expect(rendered.length).toBeLessThan(60);
    const spacer = wrapper.find('.browser-results-spacer').element as HTMLElement;
    expect(spacer.style.height).toBe(`${100_000 * 28}px`);
    // Moving the selection to the end scrolls there; the window follows.
    wrapper.findComponent({ name: 'BrowserResultsTable' }).vm.$emit('select', 99_999);
    await vi.waitFor(() => expect(wrapper.find('[data-test=record-panel]').exists()).toBe(true));
    expect(wrapper.find('[data-test=fact-offset]').text()).toBe('99,999');
    wrapper.unmount();
  });

  it('shows the selected record in the side panel, decoded, with headers', async () => {
    const fake = messagesFake();
    const { wrapper } = await openBrowser(fake);
    await runQuery(wrapper, fake);
    fake.emit(
      browseBatch([
        messageRow(1, 7, {
          key: null,
          value: wireBytes('{"id":7,"items":[1]}'),
          timestampType: 'LogAppendTime',
          compression: 'zstd',
          headers: [
            { key: 'trace-id', value: wireBytes('abc-123') },
            { key: 'raw', value: wireBytes(Uint8Array.of(0, 1, 2)) },
          ],
        }),
      ]),
    );
    await vi.waitFor(() => expect(wrapper.findAll('[data-test=browser-row]')).toHaveLength(1));
    await wrapper.find('[data-test=browser-row]').trigger('click');
    const panel = wrapper.find('[data-test=record-panel]');
    expect(panel.exists()).toBe(true);
    expect(panel.find('[data-test=fact-partition]').text()).toBe('1');
    expect(panel.find('[data-test=fact-timestamp-type]').text()).toContain('LogAppendTime');
    expect(panel.find('[data-test=fact-compression]').text()).toBe('zstd');
    expect(panel.find('[data-test=fact-timestamp]').attributes('title')).toMatch(/ago|in /);
    expect(panel.find('[data-test=record-key] [data-test=null]').text()).toContain('No key');
    expect(panel.find('[data-test=record-value] [data-test=decoded]').text()).toBe(
      '{\n  "id": 7,\n  "items": [\n    1\n  ]\n}',
    );
    expect(panel.find('[data-test=record-value] [data-test=detected-kind]').text()).toBe('detected: JSON');
    const headerCells = panel.findAll('[data-test=record-headers] td').map((td) => td.text());
    expect(headerCells).toEqual(['trace-id', 'abc-123', 'raw', '00 01 02']);
    expect(wrapper.find('.browser-results-row.is-selected').exists()).toBe(true);
    await panel.find('.browser-close-panel').trigger('click');
    expect(wrapper.find('[data-test=record-panel]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('loads the full value of a truncated preview', async () => {
    const fake = messagesFake();
    const whole = `{"blob":"${'x'.repeat(20_000)}"}`;
    fake.answerValue = () => wireBytes(whole);
    const { wrapper } = await openBrowser(fake);
    await runQuery(wrapper, fake);
    fake.emit(browseBatch([messageRow(0, 3, { value: wireBytes(whole, 8192) })]));
    await vi.waitFor(() => expect(wrapper.findAll('[data-test=browser-row]')).toHaveLength(1));
    await wrapper.find('[data-test=browser-row]').trigger('click');
    const value = () => wrapper.find('[data-test=record-value]');
    expect(value().find('[data-test=truncated]').text()).toContain('Preview: 8.0 KiB of 19.5 KiB');
    expect(value().find('[data-test=decoded]').text()).toHaveLength(8192);
    await value().find('.browser-load-full').trigger('click');
    await vi.waitFor(() => expect(value().find('[data-test=truncated]').exists()).toBe(false));
    expect(fake.valueCalls).toEqual([{ topic: 'orders', partition: 0, offset: 3, field: 'value' }]);
    expect(value().find('[data-test=decoded]').text()).toContain('"blob": "xxx');
    wrapper.unmount();
  });

  it('appends live-tail batches after catching up', async () => {
    const fake = messagesFake();
    const { wrapper } = await openBrowser(fake);
    await wrapper.find('.browser-live').trigger('click');
    await runQuery(wrapper, fake);
    expect(fake.queries[0].live).toBe(true);
    fake.emit(browseBatch(rows(2), { caughtUp: true }));
    await vi.waitFor(() => expect(wrapper.findAll('[data-test=browser-row]')).toHaveLength(2));
    expect(wrapper.find('[data-test=progress-text]').text()).toContain('following new records');
    fake.emit(browseBatch([messageRow(0, 2)], { caughtUp: true }));
    await vi.waitFor(() => expect(wrapper.findAll('[data-test=browser-row]')).toHaveLength(3));
    // A resubscribed stream repeats records: they are not shown twice.
    fake.emit(browseBatch(rows(3), { caughtUp: true }));
    await flushPromises();
    expect(wrapper.findAll('[data-test=browser-row]')).toHaveLength(3);
    expect(fake.open()).toBe(1);
    wrapper.unmount();
  });

  it('stops (unsubscribes) with the Stop button and with Esc; rows stay', async () => {
    const fake = messagesFake();
    const { wrapper } = await openBrowser(fake);
    await runQuery(wrapper, fake);
    fake.emit(browseBatch(rows(5)));
    await vi.waitFor(() => expect(wrapper.findAll('[data-test=browser-row]')).toHaveLength(5));
    await wrapper.find('.browser-stop').trigger('click');
    await vi.waitFor(() => expect(fake.open()).toBe(0));
    expect(wrapper.find('[data-test=stopped]').text()).toBe('Stopped.');
    expect(wrapper.findAll('[data-test=browser-row]')).toHaveLength(5);

    await runQuery(wrapper, fake);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await vi.waitFor(() => expect(fake.open()).toBe(0));
    expect(wrapper.find('[data-test=stopped]').exists()).toBe(true);
    wrapper.unmount();
  });

  it('runs with Enter and moves the selection with j / k and the arrows', async () => {
    const fake = messagesFake();
    const { wrapper } = await openBrowser(fake);
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await vi.waitFor(() => expect(fake.open()).toBe(1));
    fake.emit(browseBatch(rows(4)));
    await vi.waitFor(() => expect(wrapper.findAll('[data-test=browser-row]')).toHaveLength(4));
    const press = async (key: string) => {
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
      await flushPromises();
    };
    await press('j');
    expect(wrapper.find('[data-test=fact-offset]').text()).toBe('0');
    await press('j');
    await press('ArrowDown');
    expect(wrapper.find('[data-test=fact-offset]').text()).toBe('2');
    await press('k');
    expect(wrapper.find('[data-test=fact-offset]').text()).toBe('1');
    await press('ArrowUp');
    await press('ArrowUp');
    expect(wrapper.find('[data-test=fact-offset]').text()).toBe('0');
    // Enter in a field of the query bar runs the query again.
    await wrapper.find('.browser-limit input').trigger('keydown', { key: 'Enter' });
    await vi.waitFor(() => expect(fake.queries).toHaveLength(2));
    wrapper.unmount();
  });

  it('refuses a bad regex before sending, with the SyntaxError sentence', async () => {
    const fake = messagesFake();
    const { wrapper } = await openBrowser(fake);
    const { useBrowserStore } = await import('../../../src/renderer/stores/browser.js');
    const store = useBrowserStore();
    store.form.filterKind = 'regex';
    store.form.filterExpression = 'order-(\\d+';
    await flushPromises();
    await wrapper.find('.browser-run').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test=query-problems]').text()).toContain(
      'This regular expression does not compile:',
    );
    expect(wrapper.find('.browser-query-bar').text()).toContain('Unterminated group');
    expect(fake.queries).toHaveLength(0);
    wrapper.unmount();
  });

  it("shows the host's error sentence from an error batch, and a stream failure in words", async () => {
    const fake = messagesFake();
    const { wrapper } = await openBrowser(fake);
    await runQuery(wrapper, fake);
    fake.emit(browseBatch([], { done: true }, 'The JSON path $.a[ is not valid: unexpected end.'));
    await vi.waitFor(() => expect(wrapper.find('[data-test=browse-error]').exists()).toBe(true));
    expect(wrapper.find('[data-test=browse-error]').text()).toBe(
      'The JSON path $.a[ is not valid: unexpected end.',
    );
    expect(fake.open()).toBe(0);

    await runQuery(wrapper, fake);
    expect(wrapper.find('[data-test=browse-error]').exists()).toBe(false);
    fake.fail(new EddyError('NOT_FOUND'));
    await vi.waitFor(() => expect(wrapper.find('[data-test=browse-error]').exists()).toBe(true));
    expect(wrapper.find('[data-test=browse-error]').text()).toBe(
      'That topic, group or profile does not exist (any more).',
    );
    wrapper.unmount();
  });

  it('sends a typed start time converted from the zone chosen in settings', async () => {
    const fake = messagesFake();
    const { wrapper } = await openBrowser(fake);
    const { useBrowserStore } = await import('../../../src/renderer/stores/browser.js');
    const { useSettingsStore } = await import('../../../src/renderer/stores/settings.js');
    useSettingsStore().setTimeZone('utc');
    const store = useBrowserStore();
    store.form.startKind = 'timestamp';
    await flushPromises();
    expect(wrapper.find('[data-test=zone]').text()).toBe('Zone: UTC');
    store.form.startDateTime = '2026-11-25T08:15:00';
    await wrapper.find('.browser-run').trigger('click');
    await vi.waitFor(() => expect(fake.queries).toHaveLength(1));
    expect(fake.queries[0].start).toEqual({ kind: 'timestamp', timestamp: Date.UTC(2026, 10, 25, 8, 15, 0) });
    useSettingsStore().setTimeZone('local');
    await flushPromises();
    expect(wrapper.find('[data-test=zone]').text()).toMatch(/^Zone: local time \(UTC/);
    await wrapper.find('.browser-run').trigger('click');
    await vi.waitFor(() => expect(fake.queries).toHaveLength(2));
    expect(fake.queries[1].start).toEqual({
      kind: 'timestamp',
      timestamp: new Date(2026, 10, 25, 8, 15, 0).getTime(),
    });
    wrapper.unmount();
  });

  it('speaks Polish', async () => {
    const fake = messagesFake();
    const { wrapper } = await mountWithFake(BrowserView, fake, '/browse', 'pl');
    await vi.waitFor(() => expect(wrapper.find('h1').text()).toBe('Przeglądanie wiadomości'));
    expect(wrapper.find('.browser-run').text()).toBe('Uruchom');
    wrapper.unmount();
  });
});
