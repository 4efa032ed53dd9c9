// @vitest-environment happy-dom
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import TopicsView from '../../../src/renderer/views/TopicsView.vue';
import { EddyError } from '../../../src/shared/errors.js';
import { mountOverFake, topicRow, topicsFake } from './fakes/topics-fake.js';

let mounted: VueWrapper | null = null;
afterEach(() => {
  mounted?.unmount();
  mounted = null;
  document.body.innerHTML = '';
});

function open(fake: ReturnType<typeof topicsFake>, locale: 'en' | 'pl' = 'en') {
  const { wrapper, router } = mountOverFake(TopicsView, fake, { locale });
  mounted = wrapper;
  return { wrapper, router };
}

const rowNames = (wrapper: VueWrapper) =>
  wrapper
    .findAll('[data-test^=topic-row-]')
    .map((el) => el.attributes('data-test')!.slice('topic-row-'.length));

async function setInput(wrapper: VueWrapper, selector: string, value: string) {
  const el = wrapper.find(selector);
  await (el.element.tagName === 'INPUT' ? el : el.find('input')).setValue(value);
  await flushPromises();
}

describe('TopicsView list', () => {
  it('shows each topic with its figures, units and state flags, internal topics hidden until asked', async () => {
    const fake = topicsFake({
      topics: [
        topicRow('orders', {
          partitions: 6,
          replicationFactor: 3,
          records: 1_234_567,
          sizeBytes: 3 * 1024 * 1024,
        }),
        topicRow('payments', { underReplicatedPartitions: 2 }),
        topicRow('audit', { offlinePartitions: 1, records: null, sizeBytes: null }),
        topicRow('__consumer_offsets', { internal: true, partitions: 50 }),
      ],
    });
    const { wrapper } = open(fake);
    await vi.waitFor(() => expect(wrapper.find('[data-test=topic-row-orders]').exists()).toBe(true));
    expect(rowNames(wrapper)).toEqual(['audit', 'orders', 'payments']);
    const ordersRow = wrapper.find('[data-test=topic-row-orders]').element.closest('[role=row]')!;
    expect(ordersRow.textContent).toContain('1,234,567');
    expect(ordersRow.textContent).toContain('3.0 MiB');
    expect(wrapper.find('[data-test=topic-row-orders] a').attributes('href')).toBe('/topics/orders');
    expect(wrapper.find('[data-test=topic-state-orders]').text()).toBe('Healthy');
    expect(wrapper.find('[data-test=topic-state-orders] .el-tag--success').exists()).toBe(true);
    expect(wrapper.find('[data-test=topic-state-payments]').text()).toBe('2 under-replicated');
    expect(wrapper.find('[data-test=topic-state-payments] .el-tag--warning').exists()).toBe(true);
    expect(wrapper.find('[data-test=topic-state-audit]').text()).toBe('1 offline');
    expect(wrapper.find('[data-test=topic-state-audit] .el-tag--danger').exists()).toBe(true);
    expect(wrapper.find('[data-test=topic-row-audit]').element.closest('[role=row]')!.textContent).toContain(
      '—',
    );
    expect(wrapper.find('[data-test=topics-count]').text()).toBe('3 of 3');
    // Terms explain themselves.
    expect(wrapper.find('[data-test=header-replicationFactor] .base-term').attributes('title')).toContain(
      'how many brokers',
    );

    await wrapper.find('[data-test=topics-show-internal] .el-switch').trigger('click');
    await vi.waitFor(() => expect(rowNames(wrapper)).toContain('__consumer_offsets'));
    expect(wrapper.find('[data-test=topic-row-__consumer_offsets]').text()).toContain('internal');
  });

  it('filters by name and sorts by a clicked column, and updates live', async () => {
    const fake = topicsFake({
      topics: [
        topicRow('orders', { records: 50 }),
        topicRow('orders-dlq', { records: 5 }),
        topicRow('payments', { records: 500 }),
      ],
    });
    const { wrapper } = open(fake);
    await vi.waitFor(() => expect(rowNames(wrapper)).toHaveLength(3));
    await setInput(wrapper, '[data-test=topics-filter]', 'ORD');
    expect(rowNames(wrapper)).toEqual(['orders', 'orders-dlq']);
    await setInput(wrapper, '[data-test=topics-filter]', 'nothing-like-it');
    expect(wrapper.find('[data-test=topics-empty-filtered]').text()).toContain('nothing-like-it');
    await setInput(wrapper, '[data-test=topics-filter]', '');

    await wrapper.find('.el-table-v2__header-cell[data-key=records]').trigger('click');
    expect(rowNames(wrapper)).toEqual(['orders-dlq', 'orders', 'payments']);
    await wrapper.find('.el-table-v2__header-cell[data-key=records]').trigger('click');
    expect(rowNames(wrapper)).toEqual(['payments', 'orders', 'orders-dlq']);

    fake.setTopics([
      topicRow('orders', { records: 50 }),
      topicRow('payments', { records: 500, underReplicatedPartitions: 1 }),
    ]);
    await vi.waitFor(() => expect(rowNames(wrapper)).toEqual(['payments', 'orders']));
    expect(wrapper.find('[data-test=topic-state-payments]').text()).toBe('1 under-replicated');
    expect(wrapper.find('[data-test=topic-row-payments]').element.closest('[role=row]')!.className).toContain(
      'is-flashing',
    );
  });

  it('renders 5,000 topics virtualized: only the rows in view exist in the DOM', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => topicRow(`topic-${String(i).padStart(4, '0')}`));
    const fake = topicsFake({ topics: many });
    const { wrapper } = open(fake);
    await vi.waitFor(() => expect(wrapper.find('[data-test=topic-row-topic-0000]').exists()).toBe(true));
    expect(wrapper.find('[data-test=topics-count]').text()).toBe('5,000 of 5,000');
    expect(rowNames(wrapper).length).toBeLessThan(60);
  });

  it('teaches the next step when there are no topics, in Polish too', async () => {
    const fake = topicsFake({ topics: [topicRow('__consumer_offsets', { internal: true })] });
    const { wrapper } = open(fake, 'pl');
    await vi.waitFor(() => expect(wrapper.find('[data-test=topics-empty]').exists()).toBe(true));
    expect(wrapper.find('[data-test=topics-empty]').text()).toContain('eddy produce');
    expect(wrapper.find('[data-test=topics-empty]').text()).toContain('Nie ma jeszcze tematów');
  });

  it('says why the list is missing when the host fails, and retries', async () => {
    const fake = topicsFake({ topics: [topicRow('orders')] });
    const { wrapper } = open(fake);
    await vi.waitFor(() => expect(rowNames(wrapper)).toEqual(['orders']));
    fake.failTopics(new EddyError('CLUSTER_UNREACHABLE'));
    await vi.waitFor(() => expect(wrapper.find('[data-test=topics-error]').exists()).toBe(true));
    expect(wrapper.find('[data-test=topics-error]').text()).toContain('Cannot reach the Kafka cluster');
    fake.setTopics([topicRow('orders'), topicRow('refunds')]);
    await wrapper.find('[data-test=topics-error] button').trigger('click');
    await vi.waitFor(() => expect(rowNames(wrapper)).toEqual(['orders', 'refunds']));
  });
});
