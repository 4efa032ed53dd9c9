// @vitest-environment happy-dom
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { ElInputNumber } from 'element-plus';
import { afterEach, describe, expect, it, vi } from 'vitest';
import en from '../../../src/renderer/i18n/en.js';
import TopicsView from '../../../src/renderer/views/TopicsView.vue';
import { EddyError } from '../../../src/shared/errors.js';
import { mountOverFake, topicRow, topicsFake } from './fakes/topics-fake.js';

let mounted: VueWrapper | null = null;
afterEach(() => {
  mounted?.unmount();
  mounted = null;
  document.body.innerHTML = '';
});

async function openView(fake = topicsFake({ topics: [topicRow('orders'), topicRow('my_topic')] })) {
  const { wrapper } = mountOverFake(TopicsView, fake);
  mounted = wrapper;
  await vi.waitFor(() => expect(wrapper.find('[data-test=topic-row-orders]').exists()).toBe(true));
  return { wrapper, fake };
}

async function type(wrapper: VueWrapper, selector: string, value: string) {
  await wrapper.find(`${selector} input`).setValue(value);
  await flushPromises();
}

async function setNumber(wrapper: VueWrapper, selector: string, value: number) {
  const host = wrapper.find(selector).element;
  const input = wrapper.findAllComponents(ElInputNumber).find((c) => host.contains(c.element));
  input!.vm.$emit('update:modelValue', value);
  await flushPromises();
}

const fieldError = (wrapper: VueWrapper, item: string) =>
  wrapper.find(`[data-test=${item}] .el-form-item__error`);

async function openCreate(wrapper: VueWrapper) {
  await wrapper.find('[data-test=topics-create] button').trigger('click');
  await vi.waitFor(() => expect(wrapper.find('[data-test=create-dialog]').exists()).toBe(true));
  await flushPromises();
}

describe('TopicsView create dialog', () => {
  it("checks Kafka's name rules before sending, and warns of a '.' / '_' collision", async () => {
    const { wrapper, fake } = await openView();
    await openCreate(wrapper);
    await type(wrapper, '[data-test=create-name]', 'bad name!');
    await vi.waitFor(() =>
      expect(fieldError(wrapper, 'create-name-item').text()).toContain('Use only letters'),
    );
    await type(wrapper, '[data-test=create-name]', '..');
    await vi.waitFor(() =>
      expect(fieldError(wrapper, 'create-name-item').text()).toContain('cannot be called'),
    );
    await type(wrapper, '[data-test=create-name]', 'x'.repeat(250));
    await vi.waitFor(() =>
      expect(fieldError(wrapper, 'create-name-item').text()).toContain(
        'at most 249 characters; this one has 250',
      ),
    );
    await type(wrapper, '[data-test=create-name]', 'orders');
    await vi.waitFor(() =>
      expect(fieldError(wrapper, 'create-name-item').text()).toContain('already exists'),
    );
    await type(wrapper, '[data-test=create-name]', 'my.topic');
    await vi.waitFor(() => expect(fieldError(wrapper, 'create-name-item').exists()).toBe(false));
    expect(wrapper.find('[data-test=create-name-collision]').text()).toContain('my_topic');

    // Kafka refuses the collision with a generic INVALID_TOPIC_EXCEPTION; the dialog names the reason.
    fake.failNext(
      'validateCreate',
      new EddyError('KAFKA_ERROR', { message: 'Invalid topic.', detail: 'INVALID_TOPIC_EXCEPTION' }),
    );
    await wrapper.find('[data-test=create-submit] button').trigger('click');
    await vi.waitFor(() =>
      expect(wrapper.find('[data-test=create-kafka-error]').text()).toContain('collides with my_topic'),
    );
    expect(fake.callsTo('create')).toEqual([]);

    await type(wrapper, '[data-test=create-name]', 'bad name!');
    await wrapper.find('[data-test=create-submit] button').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test=create-fix-errors]').exists()).toBe(true);
    expect(fake.callsTo('validateCreate')).toHaveLength(1);
    expect(fake.callsTo('create')).toEqual([]);
  });

  it('refuses a replication factor above the brokers that are up', async () => {
    // The fake cluster has brokers 1 and 2 up and 3 down.
    const { wrapper, fake } = await openView();
    await openCreate(wrapper);
    await vi.waitFor(() =>
      expect(wrapper.find('[data-test=create-rf-item]').text()).toContain('at most 2 (brokers up now)'),
    );
    await type(wrapper, '[data-test=create-name]', 'payments');
    await setNumber(wrapper, '[data-test=create-rf]', 3);
    await vi.waitFor(() =>
      expect(fieldError(wrapper, 'create-rf-item').text()).toBe(
        'Only 2 brokers are up: the replication factor cannot be higher than that.',
      ),
    );
    await wrapper.find('[data-test=create-submit] button').trigger('click');
    await flushPromises();
    expect(fake.callsTo('validateCreate')).toEqual([]);
    await setNumber(wrapper, '[data-test=create-rf]', 2);
    await vi.waitFor(() => expect(fieldError(wrapper, 'create-rf-item').exists()).toBe(false));
  });

  it('asks Kafka to validate first and shows its refusal as a sentence; creates once it agrees', async () => {
    const { wrapper, fake } = await openView();
    await openCreate(wrapper);
    await type(wrapper, '[data-test=create-name]', 'payments');
    await setNumber(wrapper, '[data-test=create-partitions]', 6);
    await setNumber(wrapper, '[data-test=create-rf]', 2);
    await wrapper.find('[data-test=create-retention] input[value=forever]').setValue(true);
    await wrapper.find('[data-test=create-cleanup] input[value=compact]').setValue(true);
    fake.failNext(
      'validateCreate',
      new EddyError('KAFKA_ERROR', {
        message: 'Topic payments already exists.',
        detail: 'TOPIC_ALREADY_EXISTS',
      }),
    );
    await wrapper.find('[data-test=create-submit] button').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test=create-kafka-error]').exists()).toBe(true));
    // A sentence (the host's, or the UI's own for Kafka's error name — useErrorText decides), never a code.
    expect(['Topic payments already exists.', en.kafkaErrors.TOPIC_ALREADY_EXISTS]).toContain(
      wrapper.find('[data-test=create-kafka-error]').text(),
    );
    expect(fake.callsTo('create')).toEqual([]);

    await wrapper.find('[data-test=create-submit] button').trigger('click');
    await vi.waitFor(() => expect(fake.callsTo('create')).toHaveLength(1));
    const expected = {
      name: 'payments',
      partitions: 6,
      replicationFactor: 2,
      configs: [
        { name: 'retention.ms', value: '-1' },
        { name: 'cleanup.policy', value: 'compact' },
      ],
    };
    expect(fake.callsTo('validateCreate')).toEqual([[expected], [expected]]);
    expect(fake.callsTo('create')).toEqual([[expected]]);
  });
});

describe('TopicsView delete and purge', () => {
  it('deletes only after the topic name is typed exactly', async () => {
    const { wrapper, fake } = await openView();
    await wrapper.find('[data-test=delete-orders] button').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test=delete-dialog]').exists()).toBe(true));
    const confirm = () => wrapper.find('[data-test=delete-confirm] button');
    expect(confirm().attributes('disabled')).toBeDefined();
    await type(wrapper, '[data-test=delete-confirm-input]', 'order');
    expect(confirm().attributes('disabled')).toBeDefined();
    await type(wrapper, '[data-test=delete-confirm-input]', 'orderz');
    expect(wrapper.find('[data-test=delete-mismatch]').exists()).toBe(true);
    await confirm().trigger('click');
    expect(fake.callsTo('delete')).toEqual([]);
    await type(wrapper, '[data-test=delete-confirm-input]', 'orders');
    expect(confirm().attributes('disabled')).toBeUndefined();
    await confirm().trigger('click');
    await vi.waitFor(() => expect(fake.callsTo('delete')).toEqual([['orders']]));
  });

  it("shows Kafka's refusal to delete as a sentence", async () => {
    const { wrapper, fake } = await openView();
    fake.failNext(
      'delete',
      new EddyError('KAFKA_ERROR', {
        message: 'Topic deletion is disabled on this cluster.',
        detail: 'TOPIC_DELETION_DISABLED',
      }),
    );
    await wrapper.find('[data-test=delete-orders] button').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test=delete-dialog]').exists()).toBe(true));
    await type(wrapper, '[data-test=delete-confirm-input]', 'orders');
    await wrapper.find('[data-test=delete-confirm] button').trigger('click');
    await vi.waitFor(() =>
      expect([
        'Topic deletion is disabled on this cluster.',
        en.kafkaErrors.TOPIC_DELETION_DISABLED,
      ]).toContain(wrapper.find('[data-test=delete-error]').text()),
    );
  });

  it('purges after explaining what it deletes', async () => {
    const { wrapper, fake } = await openView();
    await wrapper.find('[data-test=purge-orders] button').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test=purge-dialog]').exists()).toBe(true));
    expect(wrapper.find('[data-test=purge-dialog]').text()).toContain('below the high watermark');
    await wrapper.find('[data-test=purge-confirm] button').trigger('click');
    await vi.waitFor(() => expect(fake.callsTo('purge')).toEqual([['orders', null]]));
  });
});
