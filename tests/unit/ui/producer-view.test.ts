// @vitest-environment happy-dom
// The producer view against a fake producer service over the real RPC pipe. The JSON editor is
// replaced by a textarea here (CodeMirror's own test is below, mounted for real); the validation
// and the Send button live in the view and are what is tested.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { EditorView } from '@codemirror/view';
import { forceLinting, diagnosticCount } from '@codemirror/lint';
import { apiOverTransport, EDDY_API } from '../../../src/renderer/api/index.js';
import { createEddyI18n, type Locale } from '../../../src/renderer/i18n/index.js';
import JsonEditor from '../../../src/renderer/components/producer/JsonEditor.vue';
import { useSettingsStore } from '../../../src/renderer/stores/settings.js';
import ProducerView from '../../../src/renderer/views/ProducerView.vue';
import { EddyError } from '../../../src/shared/errors.js';
import { producerFake, type ProducerFake } from './fakes/producer-fake.js';

const JsonEditorStub = defineComponent({
  props: { modelValue: { type: String, required: true } },
  emits: ['update:modelValue', 'submit'],
  setup(props, { emit }) {
    return () =>
      h('textarea', {
        'data-test': 'json-stub',
        value: props.modelValue,
        onInput: (e: Event) => emit('update:modelValue', (e.target as HTMLTextAreaElement).value),
      });
  },
});

async function mountProducer(fake: ProducerFake, query = '?topic=orders', locale: Locale = 'en') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:rest(.*)*', component: { render: () => h('div') } }],
  });
  await router.push(`/produce${query}`);
  const pinia: Pinia = createPinia();
  setActivePinia(pinia);
  useSettingsStore(pinia).setTimeZone('utc');
  const wrapper = mount(ProducerView, {
    attachTo: document.body,
    global: {
      plugins: [pinia, createEddyI18n(locale), router],
      provide: { [EDDY_API as symbol]: apiOverTransport(fake.engine.pipe.client, 'desktop') },
      stubs: { JsonEditor: JsonEditorStub },
    },
  });
  await eventually(() =>
    expect(wrapper.find('[data-test=preview-topic]').text()).toBe(query ? 'orders' : '—'),
  );
  // The cluster's topics have arrived: the default record for "orders" may be sent.
  if (query)
    await eventually(() =>
      expect(wrapper.find('[data-test=producer-send]').attributes('disabled')).toBeUndefined(),
    );
  return wrapper;
}

function input(wrapper: VueWrapper, name: string) {
  const found = wrapper.find(`[data-test=${name}]`);
  return ['INPUT', 'TEXTAREA'].includes(found.element.tagName) ? found : found.find('input');
}

/** Waits for the UI to catch up with an event; generous, because the test machine is shared. */
const eventually = <T>(check: () => T) => vi.waitFor(check, { timeout: 10_000, interval: 20 });
const text = (wrapper: VueWrapper, name: string) => wrapper.find(`[data-test=${name}]`).text();
const sendButton = (wrapper: VueWrapper) => wrapper.find('[data-test=producer-send]');

async function setNumber(wrapper: VueWrapper, name: string, value: number) {
  const field = input(wrapper, name);
  await field.setValue(String(value));
  await field.trigger('change');
}

describe('ProducerView', () => {
  it('preselects the topic from the query and shows where the key hashes, with the hash', async () => {
    const fake = producerFake();
    const wrapper = await mountProducer(fake);
    await input(wrapper, 'producer-key').setValue('customer-42');
    await eventually(() =>
      expect(text(wrapper, 'key-placement')).toContain('The key hashes to partition 1 of 3.'),
    );
    expect(text(wrapper, 'key-hash')).toBe('murmur2(key) & 0x7fffffff = 1234567; 1234567 mod 3 = 1');
    expect(fake.placeKeyCalls.at(-1)).toEqual(['orders', { encoding: 'text', data: 'customer-42' }]);
    expect(text(wrapper, 'preview-partition')).toBe('1');
    expect(text(wrapper, 'preview-key')).toBe('customer-42');

    await wrapper.find('[data-test=producer-key-null] input').setValue(true);
    await eventually(() =>
      expect(text(wrapper, 'key-placement')).toContain('No key: the sticky partitioner picks'),
    );
    expect(text(wrapper, 'preview-key')).toBe('null');
    wrapper.unmount();
  });

  it('blocks sending invalid JSON, with the parser’s message and position', async () => {
    const fake = producerFake();
    const wrapper = await mountProducer(fake);
    await wrapper.find('[data-test=json-stub]').setValue('{"amount": }');
    await eventually(() => expect(wrapper.text()).toContain('Line 1, column 12: expected a value'));
    expect(sendButton(wrapper).attributes('disabled')).toBeDefined();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true }));
    await flushPromises();
    expect(text(wrapper, 'producer-blocked')).toBe('Fix the marked fields to send.');
    expect(fake.sent).toEqual([]);

    await wrapper.find('[data-test=json-stub]').setValue('{"amount": 12.5}');
    await eventually(() => expect(sendButton(wrapper).attributes('disabled')).toBeUndefined());
    expect(text(wrapper, 'preview-value')).toBe('{\n  "amount": 12.5\n}');
    wrapper.unmount();
  });

  it('sends once with Ctrl+Enter and lists it in the history with its zone', async () => {
    const fake = producerFake();
    const wrapper = await mountProducer(fake);
    await input(wrapper, 'producer-key').setValue('k1');
    await wrapper.find('[data-test=add-header] ').trigger('click');
    const header = wrapper.find('[data-test=header-0]').findAll('input');
    await header[0].setValue('trace-id');
    await header[1].setValue('t-1');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true }));
    await eventually(() => expect(wrapper.find('[data-test=producer-sent]').exists()).toBe(true));
    expect(text(wrapper, 'producer-sent')).toBe('Sent to partition 0 at offset 0.');
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({
      topic: 'orders',
      partition: null,
      key: { encoding: 'text', data: 'k1' },
      value: { encoding: 'text', data: '{\n  "id": 1,\n  "status": "created"\n}' },
      headers: [{ key: 'trace-id', value: 't-1' }],
      acks: -1,
      compression: 'none',
    });
    await eventually(() => expect(wrapper.find('[data-test=history-1-offset]').exists()).toBe(true));
    expect(text(wrapper, 'history-1-partition')).toBe('0');
    expect(text(wrapper, 'history-1-offset')).toBe('0');
    expect(text(wrapper, 'history-1-time')).toBe('2026-11-25 18:00:00.000 UTC');
    expect(text(wrapper, 'history-1-value')).toContain('"status": "created"');

    await sendButton(wrapper).trigger('click');
    await eventually(() => expect(text(wrapper, 'producer-sent')).toBe('Sent to partition 0 at offset 1.'));
    wrapper.unmount();
  });

  it('shows Kafka’s refusal of a send as a sentence', async () => {
    const fake = producerFake();
    fake.sendError = new EddyError('KAFKA_ERROR', {
      message:
        'Only 1 of 2 required in-sync replicas of orders-0 are up. Start broker 3, or send with acks=1.',
      detail: 'NOT_ENOUGH_REPLICAS',
    });
    const wrapper = await mountProducer(fake);
    await sendButton(wrapper).trigger('click');
    await eventually(() => expect(wrapper.find('[data-test=producer-error]').exists()).toBe(true));
    expect(text(wrapper, 'producer-error')).toMatch(/in-sync replicas/);
    expect(text(wrapper, 'producer-error')).not.toContain('NOT_ENOUGH_REPLICAS');
    wrapper.unmount();
  });

  it('sends N times as a run with progress, and the acknowledged records in the history', async () => {
    const fake = producerFake();
    const wrapper = await mountProducer(fake);
    await wrapper.find('[data-test=mode-count] input').setValue(true);
    await setNumber(wrapper, 'producer-count', 5);
    await eventually(() => expect(sendButton(wrapper).text()).toBe('Send 5'));
    await sendButton(wrapper).trigger('click');
    await eventually(() => expect(fake.runs).toHaveLength(1));
    expect(fake.runs[0].spec).toMatchObject({
      count: 5,
      ratePerSec: null,
      template: false,
      record: { topic: 'orders' },
    });

    const at = fake.now;
    fake.runs[0].emit({
      sent: 5,
      acknowledged: 3,
      recent: [0, 1, 2].map((offset) => ({ partition: 2, offset, timestamp: at })),
    });
    await eventually(() => expect(text(wrapper, 'run-acknowledged')).toBe('3'));
    expect(text(wrapper, 'run-sent')).toBe('5');
    expect(text(wrapper, 'run-status')).toBe('Running');
    expect(sendButton(wrapper).attributes('disabled')).toBeDefined();
    expect(wrapper.findAll('[data-test$=-offset]').map((w) => w.text())).toEqual(['2', '1', '0']);

    fake.runs[0].emit({
      sent: 5,
      acknowledged: 5,
      done: true,
      recent: [0, 1, 2, 3, 4].map((offset) => ({ partition: 2, offset, timestamp: at })),
    });
    await eventually(() => expect(text(wrapper, 'run-status')).toBe('Done'));
    expect(wrapper.findAll('[data-test$=-offset]')).toHaveLength(5);
    expect(wrapper.find('[data-test=run-stop]').exists()).toBe(false);
    await eventually(() => expect(fake.runs[0].stopped).toBe(true));
    wrapper.unmount();
  });

  it('sends at a rate until stopped, and Stop ends the run', async () => {
    const fake = producerFake();
    const wrapper = await mountProducer(fake);
    await wrapper.find('[data-test=mode-rate] input').setValue(true);
    await setNumber(wrapper, 'producer-rate', 200);
    await wrapper.find('[data-test=producer-until-stopped] input').setValue(true);
    await eventually(() => expect(sendButton(wrapper).text()).toBe('Start'));
    await sendButton(wrapper).trigger('click');
    await eventually(() => expect(fake.runs).toHaveLength(1));
    expect(fake.runs[0].spec).toMatchObject({ count: 10_000_000, ratePerSec: 200 });
    fake.runs[0].emit({
      sent: 40,
      acknowledged: 38,
      failed: 2,
      error: { name: 'NOT_ENOUGH_REPLICAS', message: 'Start broker 3.' },
    });
    await eventually(() => expect(text(wrapper, 'run-failed')).toBe('2'));
    expect(text(wrapper, 'run-error')).toBe('Kafka reported NOT_ENOUGH_REPLICAS: Start broker 3.');
    await wrapper.find('[data-test=run-stop]').trigger('click');
    await eventually(() => expect(fake.runs[0].stopped).toBe(true));
    expect(text(wrapper, 'run-status')).toBe('Stopped');
    expect(sendButton(wrapper).attributes('disabled')).toBeUndefined();
    wrapper.unmount();
  });

  it('sends a templated record as a run of one, so the engine expands it', async () => {
    const fake = producerFake();
    const wrapper = await mountProducer(fake);
    await wrapper.find('[data-test=producer-template] input').setValue(true);
    await nextTick();
    expect(text(wrapper, 'template-help')).toContain('{{random:A:B}}');
    await wrapper.find('[data-test=json-stub]').setValue('{"n": {{i}}, "id": "{{uuid}}"}');
    await input(wrapper, 'producer-key').setValue('user-{{i}}');
    await eventually(() =>
      expect(text(wrapper, 'key-placement')).toContain('each record may land in a different partition'),
    );
    expect(text(wrapper, 'preview-key')).toBe('user-0');
    await sendButton(wrapper).trigger('click');
    await eventually(() => expect(fake.runs).toHaveLength(1));
    expect(fake.runs[0].spec).toMatchObject({
      count: 1,
      template: true,
      record: { key: { data: 'user-{{i}}' } },
    });
    expect(fake.sent).toEqual([]);
    wrapper.unmount();
  });

  it('speaks Polish', async () => {
    const fake = producerFake();
    const wrapper = await mountProducer(fake, '?topic=orders', 'pl');
    expect(wrapper.find('h1').text()).toBe('Wysyłanie');
    await wrapper.find('[data-test=json-stub]').setValue('[1,]');
    await eventually(() => expect(wrapper.text()).toContain('Wiersz 1, kolumna 4: przecinek nie może stać'));
    wrapper.unmount();
  });
});

describe('JsonEditor', () => {
  it('mounts CodeMirror with the text, follows v-model both ways, lints with the given check, and hands Mod-Enter on', async () => {
    const wrapper = mount(JsonEditor, {
      attachTo: document.body,
      props: {
        modelValue: '{"a": 1}',
        dark: false,
        label: 'Value',
        check: (text: string) =>
          text.includes('}}') ? { position: text.indexOf('}}'), message: 'doubled' } : null,
      },
    });
    // The editor sits in a shadow root (its styles then go through CSSOM, which the CSP allows).
    const shadow = (wrapper.find('[data-test=json-editor]').element as HTMLElement).shadowRoot;
    expect(shadow).not.toBeNull();
    const view = EditorView.findFromDOM(shadow!.querySelector('.cm-editor') as HTMLElement);
    expect(view).not.toBeNull();
    expect(view!.state.doc.toString()).toBe('{"a": 1}');
    await wrapper.setProps({ modelValue: '{"b": 2}' });
    expect(view!.state.doc.toString()).toBe('{"b": 2}');
    view!.dispatch({ changes: { from: view!.state.doc.length, insert: '}' } });
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual(['{"b": 2}}']);
    forceLinting(view!);
    await eventually(() => expect(diagnosticCount(view!.state)).toBe(1));
    await wrapper.setProps({ dark: true });
    view!.contentDOM.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }),
    );
    expect(wrapper.emitted('submit')).toHaveLength(1);
    wrapper.unmount();
  });
});
