// @vitest-environment happy-dom
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import TopicView from '../../../src/renderer/views/TopicView.vue';
import type { TopicDetail } from '../../../src/shared/contract/index.js';
import {
  activeConnection,
  configEntry,
  mountOverFake,
  topicDetail,
  topicsFake,
  type TopicsFake,
} from './fakes/topics-fake.js';

let mounted: VueWrapper | null = null;
afterEach(() => {
  mounted?.unmount();
  mounted = null;
  document.body.innerHTML = '';
});

async function openTopic(fake: TopicsFake, name = 'orders') {
  const { wrapper, router } = mountOverFake(TopicView, fake, { props: { name }, path: `/topics/${name}` });
  mounted = wrapper;
  return { wrapper, router };
}

async function openTab(wrapper: VueWrapper, name: string) {
  await wrapper.find(`#tab-${name}`).trigger('click');
  await flushPromises();
}

const text = (wrapper: VueWrapper, test: string) => wrapper.find(`[data-test=${test}]`).text();

describe('TopicView', () => {
  it('shows the key figures and the partitions as a table and a partitions × brokers grid', async () => {
    const detail = topicDetail('orders');
    // Partition 2: replicas 3 and 1, broker 1 fell out of the ISR.
    detail.partitions[2]!.isr = [3];
    const fake = topicsFake({ details: [detail] });
    const { wrapper } = await openTopic(fake);
    await vi.waitFor(() => expect(wrapper.find('[data-test=topic-name]').exists()).toBe(true));
    expect(text(wrapper, 'figure-partitions')).toBe('3');
    expect(text(wrapper, 'figure-rf')).toBe('2');
    expect(text(wrapper, 'figure-records')).toBe('60');
    expect(text(wrapper, 'figure-size')).toBe('6.0 KiB');
    expect(text(wrapper, 'figure-under-replicated')).toBe('1');
    expect(text(wrapper, 'partition-0-leader')).toBe('1');
    expect(text(wrapper, 'partition-2-isr')).toBe('3');
    expect(text(wrapper, 'partition-1-highWatermark')).toBe('20');
    expect(wrapper.find('[data-test=partitions-table]').text()).toContain('High watermark');
    // Grid: leader filled, in-sync follower outlined, out-of-sync hatched, nothing where no replica.
    expect(wrapper.find('[data-test=grid-0-1]').attributes('data-role')).toBe('leader');
    expect(wrapper.find('[data-test=grid-0-2]').attributes('data-role')).toBe('follower');
    expect(wrapper.find('[data-test=grid-0-3]').attributes('data-role')).toBe('none');
    expect(wrapper.find('[data-test=grid-2-1]').attributes('data-role')).toBe('outOfSync');
    expect(wrapper.find('[data-test=grid-2-1] .is-outOfSync').exists()).toBe(true);
    expect(wrapper.find('[data-test=grid-0-1]').attributes('title')).toBe(
      'Partition 0: broker 1 is the leader',
    );
  });

  it('updates live when a broker dies and the leader moves, flashing what changed', async () => {
    const fake = topicsFake({ details: [topicDetail('orders')] });
    const { wrapper } = await openTopic(fake);
    await vi.waitFor(() => expect(wrapper.find('[data-test=grid-0-1]').exists()).toBe(true));
    expect(wrapper.find('[data-test=grid-0-1]').classes()).not.toContain('is-flashing');

    // Broker 1 dies: partition 0 moves to broker 2 (epoch 1) and the ISR shrinks.
    const next: TopicDetail = topicDetail('orders', { brokersDown: [1] });
    next.partitions[0] = {
      ...next.partitions[0]!,
      leader: 2,
      leaderEpoch: 1,
      isr: [2],
      offlineReplicas: [1],
    };
    fake.setTopic(next);

    await vi.waitFor(() => expect(text(wrapper, 'partition-0-leader')).toBe('2'));
    expect(text(wrapper, 'partition-0-epoch')).toBe('1');
    expect(text(wrapper, 'partition-0-isr')).toBe('2');
    expect(wrapper.find('[data-test=partition-0]').element.closest('tr')!.className).toContain('is-flashing');
    expect(wrapper.find('[data-test=partition-1]').element.closest('tr')!.className).not.toContain(
      'is-flashing',
    );
    expect(wrapper.find('[data-test=grid-0-2]').attributes('data-role')).toBe('leader');
    expect(wrapper.find('[data-test=grid-0-1]').attributes('data-role')).toBe('outOfSync');
    expect(wrapper.find('[data-test=grid-0-2]').classes()).toContain('is-flashing');
    expect(wrapper.find('[data-test=grid-0-1]').classes()).toContain('is-flashing');
    expect(wrapper.find('[data-test=grid-1-2]').classes()).not.toContain('is-flashing');
    expect(wrapper.find('[data-test=grid-broker-1]').classes()).toContain('is-down');
    expect(text(wrapper, 'grid-broker-1')).toContain('down');
    expect(text(wrapper, 'figure-under-replicated')).toBe('1');
  });

  it('says so when the topic does not exist', async () => {
    const fake = topicsFake();
    const { wrapper } = await openTopic(fake, 'ghost');
    await vi.waitFor(() => expect(wrapper.find('[data-test=topic-error]').exists()).toBe(true));
    expect(text(wrapper, 'topic-error')).toBe(
      'Topic ghost does not exist (any more). It may have been deleted.',
    );
  });

  it('speaks Polish, terms included', async () => {
    const fake = topicsFake({ details: [topicDetail('orders')] });
    const { wrapper } = mountOverFake(TopicView, fake, {
      props: { name: 'orders' },
      path: '/topics/orders',
      locale: 'pl',
    });
    mounted = wrapper;
    await vi.waitFor(() => expect(wrapper.find('#tab-partitions').exists()).toBe(true));
    expect(wrapper.find('#tab-partitions').text()).toBe('Partycje');
    expect(wrapper.find('#tab-consumers').text()).toBe('Konsumenci');
    expect(wrapper.find('[data-test=partitions-table]').text()).toContain('Epoka lidera');
    expect(wrapper.find('[data-test=partition-grid]').text()).toContain('Niezsynchronizowana replika');
    const isr = wrapper.findAll('.base-term').find((term) => term.text() === 'ISR');
    expect(isr?.attributes('title')).toContain('Repliki zsynchronizowane');
  });

  it('grows the topic only: fewer or equal partitions are refused before sending', async () => {
    const fake = topicsFake({ details: [topicDetail('orders')] });
    const { wrapper } = await openTopic(fake);
    await vi.waitFor(() => expect(wrapper.find('[data-test=topic-add-partitions]').exists()).toBe(true));
    await wrapper.find('[data-test=topic-add-partitions] button').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test=add-partitions-dialog]').exists()).toBe(true));
    const input = wrapper.find('[data-test=add-partitions-total] input');
    await input.setValue('2');
    await input.trigger('change');
    await vi.waitFor(() =>
      expect(wrapper.find('[data-test=add-partitions-item] .el-form-item__error').text()).toBe(
        'Kafka can only add partitions: choose more than 3.',
      ),
    );
    expect(wrapper.find('[data-test=add-partitions-confirm] button').attributes('disabled')).toBeDefined();
    await input.setValue('8');
    await input.trigger('change');
    await flushPromises();
    await wrapper.find('[data-test=add-partitions-confirm] button').trigger('click');
    await vi.waitFor(() => expect(fake.callsTo('addPartitions')).toEqual([['orders', 8]]));
  });

  it('links to the message browser for this topic', async () => {
    const fake = topicsFake({ details: [topicDetail('orders')] });
    const { wrapper } = await openTopic(fake);
    await vi.waitFor(() => expect(wrapper.find('#tab-messages').exists()).toBe(true));
    await openTab(wrapper, 'messages');
    expect(wrapper.find('[data-test=topic-browse] a').attributes('href')).toBe('/browse?topic=orders');
  });

  it('lists the groups reading the topic with their lag on it', async () => {
    const fake = topicsFake({
      details: [topicDetail('orders')],
      groups: [
        {
          groupId: 'billing',
          state: 'Stable',
          protocolType: 'consumer',
          members: 2,
          topics: ['orders', 'refunds'],
          totalLag: 12,
          coordinator: 1,
        },
        {
          groupId: 'other',
          state: 'Empty',
          protocolType: 'consumer',
          members: 0,
          topics: ['refunds'],
          totalLag: 0,
          coordinator: 1,
        },
      ],
      groupDetails: [
        {
          groupId: 'billing',
          state: 'Stable',
          protocolType: 'consumer',
          protocol: 'range',
          coordinator: 1,
          members: [],
          totalLag: 12,
          partitions: [
            {
              topic: 'orders',
              partition: 0,
              committedOffset: 5,
              endOffset: 10,
              lag: 5,
              memberId: null,
              clientId: null,
            },
            {
              topic: 'orders',
              partition: 1,
              committedOffset: 18,
              endOffset: 20,
              lag: 2,
              memberId: null,
              clientId: null,
            },
            {
              topic: 'refunds',
              partition: 0,
              committedOffset: 0,
              endOffset: 5,
              lag: 5,
              memberId: null,
              clientId: null,
            },
          ],
        },
      ],
    });
    const { wrapper } = await openTopic(fake);
    await vi.waitFor(() => expect(wrapper.find('#tab-consumers').exists()).toBe(true));
    await openTab(wrapper, 'consumers');
    await vi.waitFor(() => expect(wrapper.find('[data-test=consumer-billing]').exists()).toBe(true));
    expect(wrapper.find('[data-test=consumer-other]').exists()).toBe(false);
    expect(wrapper.find('[data-test=consumer-billing] a').attributes('href')).toBe('/groups/billing');
    await vi.waitFor(() => expect(text(wrapper, 'consumer-billing-lag')).toBe('7'));
  });

  it('shows configs as a diff against the defaults, validates edits by type, applies and resets', async () => {
    const fake = topicsFake({ details: [topicDetail('orders')] });
    fake.configs = [
      configEntry('cleanup.policy', { value: 'delete', type: 'LIST' }),
      configEntry('retention.ms', {
        value: '86400000',
        type: 'LONG',
        isDefault: false,
        source: 'DYNAMIC_TOPIC_CONFIG',
      }),
      configEntry('min.insync.replicas', { value: '1', type: 'INT' }),
      configEntry('message.format.version', { value: '3.0', readOnly: true }),
      configEntry('sasl.secret', { value: null, sensitive: true }),
    ];
    const { wrapper } = await openTopic(fake);
    await vi.waitFor(() => expect(wrapper.find('#tab-config').exists()).toBe(true));
    await openTab(wrapper, 'config');
    await vi.waitFor(() => expect(wrapper.find('[data-test=config-retention\\.ms]').exists()).toBe(true));
    expect(wrapper.find('[data-test=config-retention\\.ms]').attributes('data-changed')).toBe('true');
    expect(wrapper.find('[data-test=config-min\\.insync\\.replicas]').attributes('data-changed')).toBe(
      'false',
    );
    expect(wrapper.find('[data-test=config-message\\.format\\.version-edit]').exists()).toBe(false);
    expect(text(wrapper, 'config-sasl\\.secret-value')).toBe('hidden (sensitive)');
    expect(wrapper.find('[data-test=config-min\\.insync\\.replicas-reset]').exists()).toBe(false);

    await wrapper.find('[data-test=config-min\\.insync\\.replicas-edit] button').trigger('click');
    const input = () => wrapper.find('[data-test=config-min\\.insync\\.replicas-input] input');
    await input().setValue('two');
    await flushPromises();
    expect(text(wrapper, 'config-min\\.insync\\.replicas-error')).toContain('Enter a whole number');
    expect(wrapper.find('[data-test=config-apply] button').attributes('disabled')).toBeDefined();
    await input().setValue('2');
    await flushPromises();
    expect(wrapper.find('[data-test=config-min\\.insync\\.replicas-error]').exists()).toBe(false);
    await wrapper.find('[data-test=config-retention\\.ms-reset] button').trigger('click');
    await flushPromises();
    expect(text(wrapper, 'config-pending')).toBe('2 pending change(s)');
    await wrapper.find('[data-test=config-apply] button').trigger('click');
    await vi.waitFor(() =>
      expect(fake.callsTo('alterConfigs')).toEqual([
        ['orders', [{ name: 'min.insync.replicas', value: '2' }], ['retention.ms']],
      ]),
    );
    // Reloaded after applying.
    await vi.waitFor(() => expect(fake.callsTo('configs')).toHaveLength(2));
  });

  it('offers the Files tab on the embedded cluster only, grouped by broker and partition', async () => {
    const fake = topicsFake({ details: [topicDetail('orders')], active: activeConnection('external') });
    fake.files = [
      {
        brokerId: 2,
        partition: 0,
        directory: 'broker-2/orders-0',
        files: [
          {
            name: '00000000000000000000.log',
            kind: 'log',
            bytes: 2048,
            modifiedAt: Date.UTC(2026, 10, 25, 18, 0, 0),
          },
          {
            name: '00000000000000000000.index',
            kind: 'index',
            bytes: 1024,
            modifiedAt: Date.UTC(2026, 10, 25, 18, 0, 0),
          },
        ],
      },
      { brokerId: 1, partition: 0, directory: 'broker-1/orders-0', files: [] },
    ];
    const { wrapper } = await openTopic(fake);
    await vi.waitFor(() => expect(wrapper.find('#tab-config').exists()).toBe(true));
    await flushPromises();
    expect(wrapper.find('#tab-files').exists()).toBe(false);

    fake.setActive(activeConnection('embedded'));
    await vi.waitFor(() => expect(wrapper.find('#tab-files').exists()).toBe(true));
    await openTab(wrapper, 'files');
    await vi.waitFor(() => expect(wrapper.find('[data-test=files-2-0]').exists()).toBe(true));
    const brokers = wrapper.findAll('[data-test^=files-broker-]').map((el) => el.attributes('data-test'));
    expect(brokers).toEqual(['files-broker-1', 'files-broker-2']);
    const replica = text(wrapper, 'files-2-0');
    expect(replica).toContain('broker-2/orders-0');
    expect(replica).toContain('2 files, 3.0 KiB');
    expect(replica).toMatch(/2026-11-25 \d\d:\d\d:00\.000 UTC/);
    // One call for every partition of the topic.
    expect(fake.callsTo('files')[0]).toEqual(['orders', null]);

    fake.setActive(activeConnection('external'));
    await vi.waitFor(() => expect(wrapper.find('#tab-files').exists()).toBe(false));
  });
});
