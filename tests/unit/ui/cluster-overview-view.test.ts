// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { apiOverTransport, EDDY_API, type EddyApi } from '../../../src/renderer/api/index.js';
import { createEddyI18n, type Locale } from '../../../src/renderer/i18n/index.js';
import ClusterOverviewView from '../../../src/renderer/views/ClusterOverviewView.vue';
import { EddyError } from '../../../src/shared/errors.js';
import { memoryPipe } from '../../../src/shared/rpc/transports/memory.js';
import { clusterDescription, fakeEngine } from './fake-engine.js';
import {
  brokersSnapshot,
  brokerView,
  EMBEDDED_ACTIVE,
  mountWith,
  shellFake,
  testRouter,
} from './fakes/shell-fake.js';

function mountView(api: EddyApi, locale: Locale = 'en') {
  return mount(ClusterOverviewView, {
    global: {
      plugins: [createPinia(), createEddyI18n(locale), testRouter()],
      provide: { [EDDY_API as symbol]: api },
    },
  });
}

describe('ClusterOverviewView', () => {
  it('shows a card per broker with its state and the controller, and the topics', async () => {
    const engine = fakeEngine();
    const wrapper = mountView(apiOverTransport(engine.pipe.client, 'desktop'));
    expect(wrapper.text()).toContain('Connecting to the Eddy engine');
    await vi.waitFor(() => expect(wrapper.find('[data-test=broker-cards]').exists()).toBe(true));
    expect(wrapper.find('[data-test=brokers-up]').text()).toBe('2 of 3 up');
    expect(wrapper.find('[data-test=broker-1-state]').text()).toBe('Up');
    expect(wrapper.find('[data-test=broker-3-state]').text()).toBe('Down');
    expect(wrapper.find('[data-test=broker-1]').text()).toContain('Controller');
    expect(wrapper.find('[data-test=broker-2]').text()).not.toContain('Controller');
    expect(wrapper.find('[data-test=broker-1]').text()).toContain('127.0.0.1:9092');
    const orders = wrapper.find('[data-test=topic-orders]');
    expect(orders.findAll('td').map((td) => td.text())).toEqual(['orders', '3', '2']);
    wrapper.unmount();
  });

  it('updates live when the cluster changes, flashing the new row', async () => {
    const engine = fakeEngine(clusterDescription({ topics: [] }));
    const wrapper = mountView(apiOverTransport(engine.pipe.client, 'browser'));
    await vi.waitFor(() => expect(wrapper.find('[data-test=topics-empty]').exists()).toBe(true));
    expect(wrapper.find('[data-test=topics-empty]').text()).toContain('eddy topics create');
    engine.set(
      clusterDescription({
        topics: [{ name: 'payments', partitions: 6, replicationFactor: 3, internal: false }],
      }),
    );
    await vi.waitFor(() => expect(wrapper.find('[data-test=topic-payments]').exists()).toBe(true));
    expect(wrapper.find('[data-test=topic-payments]').classes()).toContain('is-flashing');
    wrapper.unmount();
  });

  it('says the engine cannot be reached instead of showing a blank page', async () => {
    const engine = fakeEngine();
    const wrapper = mountView(apiOverTransport(engine.pipe.client, 'browser'));
    await vi.waitFor(() => expect(wrapper.find('[data-test=broker-cards]').exists()).toBe(true));
    engine.pipe.setState('closed');
    await flushPromises();
    expect(wrapper.find('[data-test=engine-unreachable]').text()).toBe(
      'Cannot reach the Eddy engine — is it running?',
    );
    expect(wrapper.text()).toContain('eddy serve');
    expect(wrapper.find('[data-test=broker-cards]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('asks for the printed link when opened without a token', () => {
    const wrapper = mountView(apiOverTransport(memoryPipe('closed').client, 'browser', true));
    expect(wrapper.find('[data-test=engine-unreachable]').text()).toContain(
      'Open the link that `eddy serve` printed',
    );
    wrapper.unmount();
  });

  it('offers a retry when the engine failed, and speaks Polish', async () => {
    const engine = fakeEngine();
    const wrapper = mountView(apiOverTransport(engine.pipe.client, 'desktop'), 'pl');
    await vi.waitFor(() => expect(wrapper.find('[data-test=broker-cards]').exists()).toBe(true));
    expect(wrapper.find('h1').text()).toBe('Przegląd klastra');
    expect(wrapper.find('[data-test=broker-1-state]').text()).toBe('Działa');
    engine.fail('ENGINE_NOT_RUNNING');
    await vi.waitFor(() => expect(wrapper.find('[data-test=engine-failed]').exists()).toBe(true));
    expect(wrapper.find('[data-test=engine-failed]').text()).toContain('Silnik Eddy nie wystartował');
    await wrapper.find('button').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test=broker-cards]').exists()).toBe(true));
    wrapper.unmount();
  });
});

describe('broker cards', () => {
  it('show the load figures from the brokers stream, with units, and update them live', async () => {
    const fake = shellFake();
    const { wrapper } = await mountWith(ClusterOverviewView, fake);
    await vi.waitFor(() => expect(wrapper.find('[data-test=broker-1-leaders]').text()).toBe('2'));
    expect(wrapper.find('[data-test=broker-1-replicas]').text()).toBe('4');
    expect(wrapper.find('[data-test=broker-1-disk]').text()).toBe('1.5 KiB');
    expect(wrapper.find('[data-test=broker-1-in]').text()).toBe('2.0 KiB/s');
    expect(wrapper.find('[data-test=broker-1-out]').text()).toBe('1.0 KiB/s');
    expect(wrapper.find('[data-test=broker-1-connections]').text()).toBe('3');
    // Broker 3's process is not running: "Stopped", and only Start is offered.
    expect(wrapper.find('[data-test=broker-3-state]').text()).toBe('Stopped');
    expect(wrapper.find('[data-test=broker-3-start]').exists()).toBe(true);
    expect(wrapper.find('[data-test=broker-3-stop]').exists()).toBe(false);

    fake.setBrokers(
      brokersSnapshot([brokerView(1, { leaders: 3 }), brokerView(2, { leaders: 1 }), brokerView(3)]),
    );
    await vi.waitFor(() => expect(wrapper.find('[data-test=broker-1-leaders]').text()).toBe('3'));
    // The changed figure flashes so the eye catches it.
    expect(wrapper.find('[data-test=broker-1-leaders]').element.parentElement?.className).toContain(
      'is-flashing',
    );
    wrapper.unmount();
  });

  it('stop calls the service, disables the buttons while pending, then says what happened', async () => {
    const fake = shellFake();
    const { wrapper } = await mountWith(ClusterOverviewView, fake);
    await vi.waitFor(() => expect(wrapper.find('[data-test=broker-2-stop]').exists()).toBe(true));
    const held = fake.holdLifecycle();
    await wrapper.find('[data-test=broker-2-stop]').trigger('click');
    await vi.waitFor(() => expect(fake.callsTo('brokers.stop')).toEqual([[2]]));
    expect(wrapper.find('[data-test=broker-2-kill]').attributes('disabled')).toBeDefined();
    held.release();
    await vi.waitFor(() =>
      expect(wrapper.find('[data-test=broker-2-result]').text()).toBe(
        'Broker 2 stopped. Its partitions are led by the other brokers now.',
      ),
    );
    expect(wrapper.find('[data-test=broker-2-kill]').attributes('disabled')).toBeUndefined();
    wrapper.unmount();
  });

  it('kill asks first, and only the confirmation calls the service', async () => {
    const fake = shellFake();
    const { wrapper } = await mountWith(ClusterOverviewView, fake);
    await vi.waitFor(() => expect(wrapper.find('[data-test=broker-1-kill]').exists()).toBe(true));
    await wrapper.find('[data-test=broker-1-kill]').trigger('click');
    const confirm = wrapper.find('[data-test=broker-1-confirm-kill]');
    expect(confirm.text()).toContain('Kill broker 1?');
    await confirm.find('[data-test=cancel-kill]').trigger('click');
    expect(wrapper.find('[data-test=broker-1-confirm-kill]').exists()).toBe(false);
    expect(fake.callsTo('brokers.kill')).toEqual([]);

    await wrapper.find('[data-test=broker-1-kill]').trigger('click');
    await wrapper.find('[data-test=confirm-kill]').trigger('click');
    await vi.waitFor(() =>
      expect(wrapper.find('[data-test=broker-1-result]').text()).toContain('Broker 1 was killed'),
    );
    expect(fake.callsTo('brokers.kill')).toEqual([[1]]);
    wrapper.unmount();
  });

  it('shows the error as a sentence when the host refuses', async () => {
    const fake = shellFake();
    const { wrapper } = await mountWith(ClusterOverviewView, fake, { locale: 'pl' });
    await vi.waitFor(() => expect(wrapper.find('[data-test=broker-3-start]').exists()).toBe(true));
    fake.failNextLifecycle(new EddyError('EMBEDDED_ONLY'));
    await wrapper.find('[data-test=broker-3-start]').trigger('click');
    await vi.waitFor(() =>
      expect(wrapper.find('[data-test=broker-3-result]').text()).toBe(
        'Broker 3: To działa tylko na wbudowanym klastrze. Przełącz się na niego w przełączniku klastrów.',
      ),
    );
    expect(wrapper.find('[data-test=broker-3-result]').classes()).toContain('is-error');
    wrapper.unmount();
  });

  it('hides the lifecycle buttons on an external cluster', async () => {
    const fake = shellFake({
      active: {
        ...EMBEDDED_ACTIVE,
        id: 'staging',
        name: 'staging',
        kind: 'external',
        capabilities: { brokerLifecycle: false, files: false, timeline: false },
      },
    });
    const { wrapper } = await mountWith(ClusterOverviewView, fake);
    await vi.waitFor(() => expect(wrapper.find('[data-test=external-hint]').exists()).toBe(true));
    expect(wrapper.find('[data-test=broker-1]').exists()).toBe(true);
    expect(wrapper.find('[data-test=broker-1-stop]').exists()).toBe(false);
    expect(wrapper.find('[data-test=broker-3-start]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('still shows the brokers from the cluster description when the host has no brokers service', async () => {
    const fake = shellFake({ missing: ['brokers'] });
    const { wrapper } = await mountWith(ClusterOverviewView, fake);
    await vi.waitFor(() => expect(wrapper.find('[data-test=broker-1-state]').text()).toBe('Up'));
    expect(wrapper.find('[data-test=broker-1-leaders]').text()).toBe('—');
    await vi.waitFor(() => expect(wrapper.find('[data-test=timeline-unavailable]').exists()).toBe(true));
    wrapper.unmount();
  });
});
