// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { apiOverTransport, EDDY_API, type EddyApi } from '../../../src/renderer/api/index.js';
import { createEddyI18n, type Locale } from '../../../src/renderer/i18n/index.js';
import ClusterOverviewView from '../../../src/renderer/views/ClusterOverviewView.vue';
import { memoryPipe } from '../../../src/shared/rpc/transports/memory.js';
import { clusterDescription, fakeEngine } from './fake-engine.js';

function mountView(api: EddyApi, locale: Locale = 'en') {
  return mount(ClusterOverviewView, {
    global: { plugins: [createPinia(), createEddyI18n(locale)], provide: { [EDDY_API as symbol]: api } },
  });
}

describe('ClusterOverviewView', () => {
  it('shows brokers with their state and the controller, and the topics', async () => {
    const engine = fakeEngine();
    const wrapper = mountView(apiOverTransport(engine.pipe.client, 'desktop'));
    expect(wrapper.text()).toContain('Connecting to the Eddy engine');
    await vi.waitFor(() => expect(wrapper.find('[data-test=brokers-table]').exists()).toBe(true));
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
    await vi.waitFor(() => expect(wrapper.find('[data-test=brokers-table]').exists()).toBe(true));
    engine.pipe.setState('closed');
    await flushPromises();
    expect(wrapper.find('[data-test=engine-unreachable]').text()).toBe(
      'Cannot reach the Eddy engine — is it running?',
    );
    expect(wrapper.text()).toContain('eddy serve');
    expect(wrapper.find('[data-test=brokers-table]').exists()).toBe(false);
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
    await vi.waitFor(() => expect(wrapper.find('[data-test=brokers-table]').exists()).toBe(true));
    expect(wrapper.find('h1').text()).toBe('Przegląd klastra');
    expect(wrapper.find('[data-test=broker-1-state]').text()).toBe('Działa');
    engine.fail('ENGINE_NOT_RUNNING');
    await vi.waitFor(() => expect(wrapper.find('[data-test=engine-failed]').exists()).toBe(true));
    expect(wrapper.find('[data-test=engine-failed]').text()).toContain('Silnik Eddy nie wystartował');
    await wrapper.find('button').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test=brokers-table]').exists()).toBe(true));
    wrapper.unmount();
  });
});
