// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import ClusterTimeline from '../../../src/renderer/components/cluster/ClusterTimeline.vue';
import {
  matchesTimelineFilter,
  timelineSentence,
} from '../../../src/renderer/components/cluster/timeline-text.js';
import { createEddyI18n } from '../../../src/renderer/i18n/index.js';
import type { TimelineEvent } from '../../../src/shared/contract/index.js';
import { field, mountWith, shellFake } from './fakes/shell-fake.js';

const AT = Date.UTC(2026, 10, 25, 18, 24, 16, 123);
const EVENTS: TimelineEvent[] = [
  { seq: 1, type: 'broker-up', at: AT, brokerId: 1, host: '127.0.0.1', port: 9092 },
  { seq: 2, type: 'topic-created', at: AT + 1000, topic: 'orders', partitions: 3, replicationFactor: 2 },
  {
    seq: 3,
    type: 'leader-changed',
    at: AT + 2000,
    topic: 'orders',
    partition: 2,
    leader: 3,
    previousLeader: 1,
    leaderEpoch: 5,
  },
  {
    seq: 4,
    type: 'isr-changed',
    at: AT + 3000,
    topic: 'orders',
    partition: 2,
    isr: [3],
    previousIsr: [1, 3],
  },
  { seq: 5, type: 'broker-down', at: AT + 4000, brokerId: 1 },
  { seq: 6, type: 'group-state', at: AT + 5000, groupId: 'billing', state: 'Stable', members: 2 },
  {
    seq: 7,
    type: 'config-changed',
    at: AT + 6000,
    resourceType: 'topic',
    resourceName: 'payments',
    name: 'retention.ms',
    value: '1000',
  },
];

function translator(locale: 'en' | 'pl') {
  const i18n = createEddyI18n(locale);
  return (key: string, named?: Record<string, unknown>) => i18n.global.t(key, named ?? {});
}

describe('timeline sentences', () => {
  it('reads each event as a sentence in English', () => {
    const t = translator('en');
    expect(EVENTS.map((e) => timelineSentence(e, t))).toEqual([
      'Broker 1 came up at 127.0.0.1:9092',
      'Topic orders created with 3 partitions, replication factor 2',
      'Leader of orders-2 moved from broker 1 to broker 3 (epoch 5)',
      'ISR of orders-2 shrank from [1, 3] to [3]',
      'Broker 1 went down',
      'Group billing is Stable with 2 members',
      'Topic payments: retention.ms set to 1000',
    ]);
  });

  it('and in Polish', () => {
    const t = translator('pl');
    expect(timelineSentence(EVENTS[2]!, t)).toBe(
      'Lider orders-2 przeniósł się z brokera 1 na broker 3 (epoka 5)',
    );
    expect(timelineSentence(EVENTS[3]!, t)).toBe('ISR orders-2 skurczył się z [1, 3] do [3]');
    expect(timelineSentence(EVENTS[4]!, t)).toBe('Broker 1 przestał działać');
  });

  it('says when a partition lost its leader or got its first one, and when the ISR grew', () => {
    const t = translator('en');
    const base = {
      seq: 9,
      type: 'leader-changed',
      at: AT,
      topic: 'a',
      partition: 0,
      leaderEpoch: 2,
    } as const;
    expect(timelineSentence({ ...base, leader: -1, previousLeader: 2 }, t)).toBe(
      'Partition a-0 has no leader (was broker 2, epoch 2)',
    );
    expect(timelineSentence({ ...base, leader: 2, previousLeader: -1 }, t)).toBe(
      'Broker 2 became leader of a-0 (epoch 2)',
    );
    expect(
      timelineSentence(
        { seq: 10, type: 'isr-changed', at: AT, topic: 'a', partition: 0, isr: [1, 2], previousIsr: [1] },
        t,
      ),
    ).toBe('ISR of a-0 grew from [1] to [1, 2]');
  });

  it('text filter matches topic, partition, broker and group', () => {
    expect(EVENTS.filter((e) => matchesTimelineFilter(e, 'orders-2')).map((e) => e.seq)).toEqual([3, 4]);
    expect(EVENTS.filter((e) => matchesTimelineFilter(e, 'broker 1')).map((e) => e.seq)).toEqual([
      1, 3, 4, 5,
    ]);
    expect(EVENTS.filter((e) => matchesTimelineFilter(e, 'BILLING')).map((e) => e.seq)).toEqual([6]);
    expect(EVENTS.filter((e) => matchesTimelineFilter(e, '  ')).length).toBe(EVENTS.length);
  });
});

describe('ClusterTimeline', () => {
  it('lists the history newest first with zoned timestamps, then new events as they happen', async () => {
    const fake = shellFake({ timeline: EVENTS });
    const { wrapper } = await mountWith(ClusterTimeline, fake);
    await vi.waitFor(() => expect(wrapper.findAll('[data-test=timeline-event]').length).toBe(7));
    const sentences = () => wrapper.findAll('[data-test=timeline-sentence]').map((s) => s.text());
    expect(sentences()[0]).toBe('Topic payments: retention.ms set to 1000');
    expect(sentences()[6]).toBe('Broker 1 came up at 127.0.0.1:9092');
    // The time zone is always printed.
    expect(wrapper.find('time').text()).toMatch(/^2026-11-2\d \d\d:\d\d:\d\d\.\d{3} UTC/);
    // The hover says how long ago.
    await wrapper.find('time').trigger('mouseenter');
    expect(wrapper.find('time').attributes('title')).toMatch(/ago|now/);

    fake.pushTimeline([
      { seq: 8, type: 'broker-up', at: AT + 7000, brokerId: 1, host: '127.0.0.1', port: 9092 },
    ]);
    await vi.waitFor(() => expect(wrapper.findAll('[data-test=timeline-event]').length).toBe(8));
    expect(sentences()[0]).toBe('Broker 1 came up at 127.0.0.1:9092');
    expect(fake.callsTo('brokers.onTimeline')).toEqual([[{ limit: 500 }]]);
    wrapper.unmount();
  });

  it('shows UTC when the settings say so', async () => {
    localStorage.setItem('eddy.timeZone', 'utc');
    try {
      const fake = shellFake({ timeline: EVENTS.slice(0, 1) });
      const { wrapper } = await mountWith(ClusterTimeline, fake);
      await vi.waitFor(() => expect(wrapper.find('time').exists()).toBe(true));
      expect(wrapper.find('time').text()).toBe('2026-11-25 18:24:16.123 UTC');
      wrapper.unmount();
    } finally {
      localStorage.removeItem('eddy.timeZone');
    }
  });

  it('filters by event type and by text, and says when nothing matches', async () => {
    const fake = shellFake({ timeline: EVENTS });
    const { wrapper } = await mountWith(ClusterTimeline, fake);
    await vi.waitFor(() => expect(wrapper.findAll('[data-test=timeline-event]').length).toBe(7));
    await wrapper.find('[data-test=timeline-type-broker-down]').trigger('click');
    await wrapper.find('[data-test=timeline-type-broker-up]').trigger('click');
    expect(wrapper.findAll('[data-test=timeline-event]').map((e) => e.attributes('data-type'))).toEqual([
      'broker-down',
      'broker-up',
    ]);
    await wrapper.find('[data-test=timeline-type-broker-up]').trigger('click');
    await wrapper.find('[data-test=timeline-type-broker-down]').trigger('click');
    await field(wrapper, 'timeline-filter').setValue('orders-2');
    expect(wrapper.findAll('[data-test=timeline-sentence]').map((e) => e.text())).toEqual([
      'ISR of orders-2 shrank from [1, 3] to [3]',
      'Leader of orders-2 moved from broker 1 to broker 3 (epoch 5)',
    ]);
    await field(wrapper, 'timeline-filter').setValue('nothing-like-this');
    expect(wrapper.find('[data-test=timeline-no-match]').text()).toBe('No event matches the filter.');
    wrapper.unmount();
  });

  it('teaches the next step when there are no events yet, in Polish too', async () => {
    const fake = shellFake({ timeline: [] });
    const { wrapper } = await mountWith(ClusterTimeline, fake, { locale: 'pl' });
    await vi.waitFor(() => expect(wrapper.find('[data-test=timeline-empty]').exists()).toBe(true));
    expect(wrapper.find('[data-test=timeline-empty]').text()).toContain('Utwórz temat albo zatrzymaj broker');
    wrapper.unmount();
  });
});
