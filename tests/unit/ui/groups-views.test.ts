// @vitest-environment happy-dom
// The consumer group views against a fake groups service over the real RPC pipe.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent } from 'vue';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import { apiOverTransport, EDDY_API } from '../../../src/renderer/api/index.js';
import { createEddyI18n, type Locale } from '../../../src/renderer/i18n/index.js';
import GroupsView from '../../../src/renderer/views/GroupsView.vue';
import GroupView from '../../../src/renderer/views/GroupView.vue';
import { useGroupsStore } from '../../../src/renderer/stores/groups.js';
import { EddyError } from '../../../src/shared/errors.js';
import { groupDetail, groupInUseError, groupRow, groupsFake, type GroupsFake } from './fakes/groups-fake.js';

const Blank = defineComponent({ template: '<div />' });

function testRouter(): Router {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/groups', component: Blank },
      { path: '/groups/:groupId', component: Blank },
      { path: '/topics/:name', component: Blank },
      { path: '/:rest(.*)*', component: Blank },
    ],
  });
}

function mountGroups(fake: GroupsFake, locale: Locale = 'en') {
  const router = testRouter();
  const wrapper = mount(GroupsView, {
    global: {
      plugins: [createPinia(), createEddyI18n(locale), router],
      provide: { [EDDY_API as symbol]: apiOverTransport(fake.engine.pipe.client, 'desktop') },
    },
  });
  return { wrapper, router };
}

async function mountGroup(fake: GroupsFake, groupId = 'billing', locale: Locale = 'en') {
  const router = testRouter();
  await router.push(`/groups/${groupId}`);
  const pinia = createPinia();
  const wrapper = mount(GroupView, {
    props: { groupId },
    global: {
      plugins: [pinia, createEddyI18n(locale), router],
      provide: { [EDDY_API as symbol]: apiOverTransport(fake.engine.pipe.client, 'desktop') },
    },
  });
  return { wrapper, router, pinia };
}

/** ElInput puts test attributes on its native input or on its wrapper, depending on the version. */
function input(wrapper: VueWrapper, name: string) {
  const found = wrapper.find(`[data-test=${name}]`);
  return found.element.tagName === 'INPUT' || found.element.tagName === 'TEXTAREA'
    ? found
    : found.find('input');
}

/** Waits for the UI to catch up with an event; generous, because the test machine is shared. */
const eventually = <T>(check: () => T) => vi.waitFor(check, { timeout: 10_000, interval: 20 });
const text = (wrapper: VueWrapper, name: string) => wrapper.find(`[data-test=${name}]`).text();

describe('GroupsView', () => {
  it('lists the groups with state, members, lag and coordinator, and follows lag live', async () => {
    const fake = groupsFake([
      groupRow(),
      groupRow({
        groupId: 'audit',
        state: 'Empty',
        members: 0,
        topics: ['payments'],
        totalLag: 0,
        coordinator: 2,
      }),
    ]);
    const { wrapper } = mountGroups(fake);
    await eventually(() => expect(wrapper.find('[data-test=group-link-billing]').exists()).toBe(true));
    expect(text(wrapper, 'groups-count')).toBe('2 groups');
    expect(wrapper.find('[data-test=group-link-billing]').attributes('href')).toContain('/groups/billing');
    expect(text(wrapper, 'group-state-billing')).toBe('Stable');
    expect(text(wrapper, 'group-state-audit')).toBe('Empty');
    expect(text(wrapper, 'group-members-billing')).toBe('2');
    expect(text(wrapper, 'group-lag-billing')).toBe('15 records');
    expect(text(wrapper, 'group-lag-audit')).toBe('0 records');
    expect(wrapper.text()).toContain('broker 2');

    fake.setGroups([
      groupRow({ totalLag: 1234 }),
      groupRow({ groupId: 'audit', state: 'Empty', members: 0, totalLag: 1 }),
    ]);
    await eventually(() => expect(text(wrapper, 'group-lag-billing')).toBe('1,234 records'));
    expect(text(wrapper, 'group-lag-audit')).toBe('1 record');
    expect(
      wrapper.find('[data-test=group-lag-billing]').element.closest('tr')?.classList.contains('is-flashing'),
    ).toBe(true);
    wrapper.unmount();
    await eventually(() => expect(fake.listSubscribers()).toBe(0));
  });

  it('filters by group, topic or state', async () => {
    const fake = groupsFake([
      groupRow(),
      groupRow({ groupId: 'audit', state: 'Empty', topics: ['payments'] }),
    ]);
    const { wrapper } = mountGroups(fake);
    await eventually(() => expect(wrapper.find('[data-test=group-link-audit]').exists()).toBe(true));
    await input(wrapper, 'groups-filter').setValue('payments');
    expect(wrapper.find('[data-test=group-link-audit]').exists()).toBe(true);
    expect(wrapper.find('[data-test=group-link-billing]').exists()).toBe(false);
    await input(wrapper, 'groups-filter').setValue('nothing-like-this');
    expect(text(wrapper, 'groups-no-match')).toContain('nothing-like-this');
    wrapper.unmount();
  });

  it('teaches how to start a group when there is none, with this cluster’s address', async () => {
    const fake = groupsFake([]);
    const { wrapper } = mountGroups(fake);
    await eventually(() => expect(wrapper.find('[data-test=groups-empty]').exists()).toBe(true));
    await eventually(() =>
      expect(text(wrapper, 'groups-empty-kcat')).toBe(
        'kcat -b 127.0.0.1:9092,127.0.0.1:9093 -G my-group orders',
      ),
    );
    expect(text(wrapper, 'groups-empty-python')).toContain("group_id='my-group'");
    fake.setGroups([groupRow()]);
    await eventually(() => expect(wrapper.find('[data-test=group-link-billing]').exists()).toBe(true));
    wrapper.unmount();
  });

  it('speaks Polish', async () => {
    const fake = groupsFake([groupRow({ state: 'PreparingRebalance' })]);
    const { wrapper } = mountGroups(fake, 'pl');
    await eventually(() => expect(wrapper.find('[data-test=group-link-billing]').exists()).toBe(true));
    expect(wrapper.find('h1').text()).toBe('Grupy konsumentów');
    expect(text(wrapper, 'group-state-billing')).toBe('Przygotowanie rebalansu');
    expect(text(wrapper, 'group-lag-billing')).toBe('rekordów: 15');
    wrapper.unmount();
  });
});

describe('GroupView', () => {
  it('shows the header, members with their partitions, and per-partition lag, updating live', async () => {
    const fake = groupsFake();
    const { wrapper, pinia } = await mountGroup(fake);
    await eventually(() => expect(wrapper.find('[data-test=group-figures]').exists()).toBe(true));
    expect(text(wrapper, 'group-state')).toBe('Stable');
    expect(text(wrapper, 'group-protocol')).toBe('range');
    expect(text(wrapper, 'group-coordinator')).toBe('broker 1');
    expect(text(wrapper, 'group-members')).toBe('2');
    expect(text(wrapper, 'group-total-lag')).toBe('15 records');
    expect(text(wrapper, 'member-billing-1-6b3c-client')).toBe('billing-1');
    expect(text(wrapper, 'member-billing-1-6b3c-assignment')).toBe('orders: 0, 1');
    expect(text(wrapper, 'partition-orders-0-committed')).toBe('100');
    expect(text(wrapper, 'partition-orders-0-end')).toBe('110');
    expect(text(wrapper, 'partition-orders-0-lag')).toBe('10');
    expect(text(wrapper, 'partition-orders-0-owner')).toBe('billing-1');
    expect(text(wrapper, 'partition-orders-2-committed')).toBe('nothing committed');
    // The largest lag fills its bar; a smaller one is in proportion.
    const bar = (p: number) =>
      wrapper.find(`[data-test=partition-orders-${p}-lag] .group-lag-bar-fill`).attributes('style');
    expect(bar(0)).toContain('width: 100%');
    expect(bar(1)).toContain('width: 50%');

    const next = groupDetail();
    next.partitions[0] = { ...next.partitions[0], committedOffset: 108, endOffset: 140, lag: 32 };
    fake.setGroup({ ...next, totalLag: 37 });
    await eventually(() => expect(text(wrapper, 'partition-orders-0-lag')).toBe('32'));
    expect(text(wrapper, 'group-total-lag')).toBe('37 records');
    expect(
      wrapper
        .find('[data-test=partition-orders-0-lag]')
        .element.closest('tr')
        ?.classList.contains('is-flashing'),
    ).toBe(true);

    expect(text(wrapper, 'lag-now')).toContain('Collecting lag samples');
    fake.pushLag('billing', [
      { at: Date.UTC(2026, 10, 25, 18, 0, 0), totalLag: 15 },
      { at: Date.UTC(2026, 10, 25, 18, 0, 1), totalLag: 37 },
    ]);
    await eventually(() => expect(text(wrapper, 'lag-now')).toBe('Now: 37 records'));
    // Then one new sample at a time, appended to the history the chart draws.
    fake.pushLag('billing', [{ at: Date.UTC(2026, 10, 25, 18, 0, 2), totalLag: 40 }]);
    await eventually(() => expect(text(wrapper, 'lag-now')).toBe('Now: 40 records'));
    expect(useGroupsStore(pinia).lag.map((s) => s.totalLag)).toEqual([15, 37, 40]);
    wrapper.unmount();
    await eventually(() => expect(fake.groupSubscribers()).toBe(0));
  });

  it('says so when the group does not exist', async () => {
    const fake = groupsFake([], null);
    const { wrapper } = await mountGroup(fake, 'ghost');
    await eventually(() => expect(wrapper.find('[data-test=group-error]').exists()).toBe(true));
    expect(text(wrapper, 'group-error')).toContain('The group “ghost” does not exist');
    wrapper.unmount();
  });

  it('resets offsets: preview current → target per partition, then apply', async () => {
    const fake = groupsFake(
      [groupRow({ state: 'Empty', members: 0 })],
      groupDetail({ state: 'Empty', members: [] }),
    );
    fake.resetAnswer = [
      { topic: 'orders', partition: 0, current: 100, target: 95, logStartOffset: 0, logEndOffset: 110 },
      { topic: 'orders', partition: 1, current: 50, target: 45, logStartOffset: 0, logEndOffset: 55 },
    ];
    const { wrapper } = await mountGroup(fake);
    await eventually(() => expect(wrapper.find('[data-test=open-reset]').exists()).toBe(true));
    await wrapper.find('[data-test=open-reset]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test=reset-members-active]').exists()).toBe(false);
    await wrapper.find('[data-test=reset-kind-shift] input').setValue(true);
    await input(wrapper, 'reset-shift').setValue('abc');
    await wrapper.find('[data-test=reset-preview-button]').trigger('click');
    // Element Plus shows a form item's error after a short debounce.
    await eventually(() => expect(wrapper.text()).toContain('Enter a whole number of records'));
    expect(fake.calls.previewReset).toHaveLength(0);
    expect(wrapper.find('[data-test=reset-apply]').attributes('disabled')).toBeDefined();

    await input(wrapper, 'reset-shift').setValue('-5');
    await wrapper.find('[data-test=reset-preview-button]').trigger('click');
    await eventually(() => expect(wrapper.find('[data-test=reset-preview]').exists()).toBe(true));
    expect(fake.calls.previewReset).toEqual([['billing', { topics: [], to: { kind: 'shift', by: -5 } }]]);
    expect(text(wrapper, 'preview-orders-0-current')).toBe('100');
    expect(text(wrapper, 'preview-orders-0-target')).toBe('95');
    expect(text(wrapper, 'preview-orders-1-target')).toBe('45');
    expect(wrapper.find('[data-test=reset-preview]').text()).toContain('-5');

    await wrapper.find('[data-test=reset-apply]').trigger('click');
    await eventually(() => expect(wrapper.find('[data-test=group-notice]').exists()).toBe(true));
    expect(fake.calls.reset).toEqual([['billing', { topics: [], to: { kind: 'shift', by: -5 } }]]);
    expect(text(wrapper, 'group-notice')).toBe('Offsets reset for 2 partitions.');
    wrapper.unmount();
  });

  it('shows Kafka’s refusal while consumers are connected as a sentence with what to do', async () => {
    const fake = groupsFake();
    fake.resetAnswer = [
      { topic: 'orders', partition: 0, current: 100, target: 0, logStartOffset: 0, logEndOffset: 110 },
    ];
    fake.applyAnswer = groupInUseError();
    const { wrapper } = await mountGroup(fake);
    await eventually(() => expect(wrapper.find('[data-test=open-reset]').exists()).toBe(true));
    await wrapper.find('[data-test=open-reset]').trigger('click');
    await flushPromises();
    expect(text(wrapper, 'reset-members-active')).toContain('The group has 2 active members');
    await wrapper.find('[data-test=reset-preview-button]').trigger('click');
    await eventually(() => expect(wrapper.find('[data-test=reset-preview]').exists()).toBe(true));
    expect(fake.calls.previewReset[0][1]).toEqual({ topics: [], to: { kind: 'earliest' } });
    await wrapper.find('[data-test=reset-apply]').trigger('click');
    await eventually(() => expect(wrapper.find('[data-test=reset-error]').exists()).toBe(true));
    expect(text(wrapper, 'reset-error')).toMatch(/active members/);
    expect(text(wrapper, 'reset-error')).not.toContain('NON_EMPTY_GROUP');
    expect(text(wrapper, 'reset-error-hint')).toBe(
      'Stop the consumers of this group (close them or stop their process), wait until its state is Empty, then apply again.',
    );
    expect(wrapper.find('[data-test=group-notice]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('deletes the group after confirmation and goes back to the list', async () => {
    const fake = groupsFake(
      [groupRow({ state: 'Empty', members: 0 })],
      groupDetail({ state: 'Empty', members: [] }),
    );
    const { wrapper, router } = await mountGroup(fake);
    await eventually(() => expect(wrapper.find('[data-test=open-delete-group]').exists()).toBe(true));
    await wrapper.find('[data-test=open-delete-group]').trigger('click');
    await flushPromises();
    expect(
      wrapper.find('[data-test=delete-group-dialog]').exists() ||
        wrapper.text().includes('Delete the group “billing”?'),
    ).toBe(true);
    expect(fake.calls.delete).toEqual([]);
    await wrapper.find('[data-test=delete-group-confirm]').trigger('click');
    await eventually(() => expect(router.currentRoute.value.path).toBe('/groups'));
    expect(fake.calls.delete).toEqual(['billing']);
    wrapper.unmount();
  });

  it('deletes the committed offsets of one topic, and shows a refusal', async () => {
    const fake = groupsFake();
    const { wrapper } = await mountGroup(fake);
    await eventually(() => expect(wrapper.find('[data-test=open-delete-offsets]').exists()).toBe(true));
    fake.deleteAnswer = new EddyError('KAFKA_ERROR', {
      message: 'The group is subscribed to “orders”; Kafka deletes its offsets only when no member reads it.',
      detail: 'GROUP_SUBSCRIBED_TO_TOPIC',
    });
    await wrapper.find('[data-test=open-delete-offsets]').trigger('click');
    await flushPromises();
    await wrapper.find('[data-test=delete-offsets-confirm]').trigger('click');
    await eventually(() => expect(wrapper.find('[data-test=delete-offsets-error]').exists()).toBe(true));
    expect(text(wrapper, 'delete-offsets-error')).toContain('Stop the consumers of this group');
    fake.deleteAnswer = null;
    await wrapper.find('[data-test=delete-offsets-confirm]').trigger('click');
    await eventually(() => expect(wrapper.find('[data-test=group-notice]').exists()).toBe(true));
    expect(fake.calls.deleteOffsets.at(-1)).toEqual(['billing', 'orders', null]);
    expect(text(wrapper, 'group-notice')).toBe('Offsets of “orders” deleted.');
    wrapper.unmount();
  });
});
