// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import App from '../../../src/renderer/App.vue';
import {
  EMBEDDED_ACTIVE,
  brokersSnapshot,
  brokerView,
  field,
  mountWith,
  shellFake,
} from './fakes/shell-fake.js';

afterEach(() => {
  localStorage.clear();
  document.body.innerHTML = '';
});

async function mountApp(fake = shellFake(), path = '/cluster', locale: 'en' | 'pl' = 'en') {
  const mounted = await mountWith(App, fake, { path, locale, attachTo: document.body });
  await vi.waitFor(() => expect(mounted.wrapper.find('[data-test=status-cluster]').exists()).toBe(true));
  return { ...mounted, fake };
}

describe('side navigation', () => {
  it('offers every view with an icon, marks the active one and navigates', async () => {
    const { wrapper, router } = await mountApp();
    const entries = ['cluster', 'topics', 'groups', 'produce', 'browse', 'settings'];
    for (const entry of entries) {
      const item = wrapper.find(`[data-test=nav-${entry}]`);
      expect(item.exists()).toBe(true);
      expect(item.find('svg').exists()).toBe(true);
    }
    expect(wrapper.find('[data-test=nav-cluster]').classes()).toContain('is-active');
    expect(wrapper.find('[data-test=nav-cluster]').text()).toBe('Cluster');
    await wrapper.find('[data-test=nav-topics]').trigger('click');
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/topics'));
    expect(wrapper.find('[data-test=view-topics]').exists()).toBe(true);
    // A topic page keeps "Topics" lit.
    await router.push('/topics/orders');
    await flushPromises();
    expect(wrapper.find('[data-test=nav-topics]').classes()).toContain('is-active');
    expect(wrapper.find('[data-test=nav-cluster]').classes()).not.toContain('is-active');
    wrapper.unmount();
  });

  it('collapses to icons and remembers it', async () => {
    const { wrapper } = await mountApp();
    await wrapper.find('[data-test=nav-collapse]').trigger('click');
    expect(wrapper.find('.the-side-navigation').classes()).toContain('is-collapsed');
    expect(localStorage.getItem('eddy.navCollapsed')).toBe('true');
    expect(wrapper.find('[data-test=nav-collapse]').attributes('aria-expanded')).toBe('false');
    wrapper.unmount();
  });

  it('speaks Polish', async () => {
    localStorage.setItem('eddy.locale', 'pl');
    const { wrapper } = await mountApp(shellFake(), '/cluster', 'pl');
    expect(wrapper.find('[data-test=nav-groups]').text()).toBe('Grupy konsumentów');
    wrapper.unmount();
  });
});

describe('status strip', () => {
  it('shows the cluster, brokers up of total, controller, bootstrap and throughput', async () => {
    const { wrapper, fake } = await mountApp();
    await vi.waitFor(() => expect(wrapper.find('[data-test=status-throughput]').exists()).toBe(true));
    expect(wrapper.find('[data-test=status-cluster]').text()).toBe('Embedded cluster');
    expect(wrapper.find('[data-test=status-brokers]').text()).toBe('Brokers: 2 of 3 up');
    expect(wrapper.find('[data-test=status-controller]').text()).toBe('Controller: 1');
    expect(wrapper.find('[data-test=bootstrap]').text()).toBe('127.0.0.1:9092,127.0.0.1:9093');
    expect(wrapper.find('[data-test=status-in]').text()).toBe('in 6.0 KiB/s');
    expect(wrapper.find('[data-test=status-out]').text()).toBe('out 3.0 KiB/s');
    fake.setBrokers(
      brokersSnapshot([brokerView(1, { bytesInPerSec: 3 * 1024 * 1024 })], { bytesOutPerSec: 0 }),
    );
    await vi.waitFor(() => expect(wrapper.find('[data-test=status-in]').text()).toBe('in 3.0 MiB/s'));
    expect(wrapper.find('[data-test=status-out]').text()).toBe('out 0 B/s');
    wrapper.unmount();
  });

  it('copies the bootstrap address', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { wrapper } = await mountApp();
    await wrapper.find('[data-test=copy-bootstrap]').trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith('127.0.0.1:9092,127.0.0.1:9093');
    expect(wrapper.find('[data-test=copy-bootstrap]').text()).toBe('Copied');
    wrapper.unmount();
  });
});

describe('when the engine cannot be reached', () => {
  it('the main area says so instead of a blank page, on every view', async () => {
    const { wrapper, fake, router } = await mountApp(shellFake(), '/topics');
    fake.pipe.setState('closed');
    await flushPromises();
    expect(wrapper.find('[data-test=engine-unreachable]').text()).toBe(
      'Cannot reach the Eddy engine — is it running?',
    );
    expect(wrapper.find('[data-test=view-topics]').exists()).toBe(false);
    // No stale figures in the strip.
    expect(wrapper.find('[data-test=status-brokers]').exists()).toBe(false);
    await router.push('/settings');
    await flushPromises();
    expect(wrapper.find('[data-test=engine-unreachable]').exists()).toBe(true);
    wrapper.unmount();
  });

  it('says when the active external cluster cannot be reached and offers the way back', async () => {
    const fake = shellFake({
      active: {
        ...EMBEDDED_ACTIVE,
        id: 'staging',
        name: 'staging',
        kind: 'external',
        state: 'failed',
        message: 'No broker of kafka-1:9092 answered.',
        capabilities: { brokerLifecycle: false, files: false, timeline: false },
      },
    });
    const { wrapper } = await mountApp(fake);
    await vi.waitFor(() => expect(wrapper.find('[data-test=cluster-failed]').exists()).toBe(true));
    expect(wrapper.find('[data-test=cluster-failed]').text()).toContain('Cannot reach staging');
    expect(wrapper.find('[data-test=cluster-failed]').text()).toContain(
      'No broker of kafka-1:9092 answered.',
    );
    await wrapper.find('[data-test=cluster-failed] button').trigger('click');
    await vi.waitFor(() => expect(fake.callsTo('connections.activate')).toEqual([['embedded']]));
    await vi.waitFor(() => expect(wrapper.find('[data-test=cluster-failed]').exists()).toBe(false));
    wrapper.unmount();
  });
});

describe('cluster switcher', () => {
  it('shows the active cluster and switches to a saved one', async () => {
    const fake = shellFake();
    fake.profiles = [{ id: 'staging', name: 'staging', bootstrap: 'kafka-1:9092', sasl: null, tls: null }];
    const { wrapper } = await mountApp(fake);
    expect(wrapper.find('[data-test=active-cluster-name]').text()).toBe('Embedded cluster');
    expect(wrapper.find('[data-test=active-cluster-state]').text()).toBe('Connected');
    await wrapper.find('[data-test=cluster-switcher]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test=profile-staging]').exists()).toBe(true));
    expect(wrapper.find('[data-test=profile-staging]').text()).toContain('kafka-1:9092');
    await wrapper.find('[data-test=activate-staging]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test=active-cluster-name]').text()).toBe('staging'));
    expect(fake.callsTo('connections.activate')).toEqual([['staging']]);
    expect(wrapper.find('[data-test=connections-notice]').text()).toBe('Now looking at staging.');
    // Embedded-only powers are gone on the external cluster.
    await vi.waitFor(() => expect(wrapper.find('[data-test=status-cluster]').text()).toBe('staging'));
    wrapper.unmount();
  });

  it('checks the profile before sending, tests it and saves it', async () => {
    const fake = shellFake();
    const { wrapper } = await mountApp(fake);
    await wrapper.find('[data-test=cluster-switcher]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test=no-profiles]').exists()).toBe(true));
    await wrapper.find('[data-test=add-profile]').trigger('click');
    const form = () => wrapper.find('[data-test=profile-form]');

    await form().find('[data-test=profile-save]').trigger('click');
    await vi.waitFor(() => expect(form().text()).toContain('Give the connection a name.'));
    await vi.waitFor(() => expect(form().text()).toContain('Enter at least one host:port.'));
    expect(fake.callsTo('connections.save')).toEqual([]);

    await field(wrapper, 'profile-name').setValue('staging');
    await field(wrapper, 'profile-bootstrap').setValue('kafka-1:9092, kafka-2');
    await vi.waitFor(() =>
      expect(form().text()).toContain('“kafka-2” is not host:port — for example kafka-1:9092.'),
    );
    await field(wrapper, 'profile-bootstrap').setValue('kafka-1:9092,kafka-2:99999');
    await vi.waitFor(() =>
      expect(form().text()).toContain('Port in “kafka-2:99999” must be between 1 and 65535.'),
    );
    await field(wrapper, 'profile-bootstrap').setValue('kafka-1:9092, kafka-2:9093');

    // TLS without verification warns.
    await form().find('[data-test=profile-tls]').trigger('click');
    expect(form().find('[data-test=verify-warning]').exists()).toBe(false);
    await form().find('[data-test=profile-verify]').trigger('click');
    expect(form().find('[data-test=verify-warning]').text()).toContain('Use it only for a test cluster');
    await field(wrapper, 'profile-ca').setValue('not a certificate');
    await vi.waitFor(() => expect(form().text()).toContain('The CA certificate must be PEM text'));
    await field(wrapper, 'profile-ca').setValue('');

    await form().find('[data-test=profile-test]').trigger('click');
    await vi.waitFor(() =>
      expect(wrapper.find('[data-test=connection-test-result]').text()).toBe(
        'Connected to cluster ext-cluster with 3 brokers.',
      ),
    );
    expect(fake.callsTo('connections.test')).toEqual([
      [
        {
          name: 'staging',
          bootstrap: 'kafka-1:9092,kafka-2:9093',
          sasl: null,
          tls: { caPem: null, verifyCertificates: false },
        },
      ],
    ]);
    fake.testResult = {
      ok: false,
      clusterId: null,
      brokers: 0,
      message: 'No broker of kafka-1:9092 answered.',
    };
    await form().find('[data-test=profile-test]').trigger('click');
    await vi.waitFor(() =>
      expect(wrapper.find('[data-test=connection-test-result]').text()).toBe(
        'Could not connect: No broker of kafka-1:9092 answered.',
      ),
    );

    await form().find('[data-test=profile-save]').trigger('click');
    await vi.waitFor(() =>
      expect(wrapper.find('[data-test=connections-notice]').text()).toBe('Saved staging.'),
    );
    expect(wrapper.find('[data-test=profile-p-1]').text()).toContain('kafka-1:9092,kafka-2:9093');
    wrapper.unmount();
  });

  it('asks for SASL user and password, and removes a profile after confirming', async () => {
    const fake = shellFake();
    fake.profiles = [
      {
        id: 'prod',
        name: 'prod',
        bootstrap: 'kafka:9093',
        sasl: { mechanism: 'SCRAM-SHA-512', username: 'ola', hasPassword: true },
        tls: { caPem: null, verifyCertificates: true },
      },
    ];
    const { wrapper } = await mountApp(fake);
    await wrapper.find('[data-test=cluster-switcher]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test=edit-prod]').exists()).toBe(true));
    await wrapper.find('[data-test=edit-prod]').trigger('click');
    // The stored password is kept when the field stays empty.
    expect(field(wrapper, 'profile-password').attributes('placeholder')).toBe(
      'Leave empty to keep the stored password',
    );
    await field(wrapper, 'profile-username').setValue('');
    await wrapper.find('[data-test=profile-save]').trigger('click');
    await vi.waitFor(() =>
      expect(wrapper.find('[data-test=profile-form]').text()).toContain('Enter the user name for SASL.'),
    );
    await field(wrapper, 'profile-username').setValue('ola');
    await wrapper.find('[data-test=profile-save]').trigger('click');
    await vi.waitFor(() => expect(fake.callsTo('connections.save').length).toBe(1));
    expect(fake.callsTo('connections.save')[0]![0]).toMatchObject({
      id: 'prod',
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'ola', password: '' },
      tls: { caPem: null, verifyCertificates: true },
    });

    await wrapper.find('[data-test=remove-prod]').trigger('click');
    expect(wrapper.find('[data-test=profile-prod]').text()).toContain('Remove the connection prod?');
    await wrapper.find('[data-test=confirm-remove]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test=profile-prod]').exists()).toBe(false));
    expect(fake.callsTo('connections.remove')).toEqual([['prod']]);
    wrapper.unmount();
  });
});

describe('command palette', () => {
  it('opens with Ctrl+K, filters views, topics and groups, and runs the choice with Enter', async () => {
    const fake = shellFake();
    fake.groups = [
      {
        groupId: 'billing',
        state: 'Stable',
        protocolType: 'consumer',
        members: 2,
        topics: ['orders'],
        totalLag: 0,
        coordinator: 1,
      },
    ];
    const { wrapper, router } = await mountApp(fake);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true }));
    await vi.waitFor(() => expect(wrapper.find('[data-test=palette-input]').exists()).toBe(true));
    const labels = () => wrapper.findAll('[data-test=palette-item]').map((i) => i.attributes('data-id'));
    await vi.waitFor(() => expect(labels()).toContain('group:billing'));
    expect(labels().slice(0, 6)).toEqual([
      'view:/cluster',
      'view:/topics',
      'view:/groups',
      'view:/produce',
      'view:/browse',
      'view:/settings',
    ]);
    expect(labels()).toContain('topic:orders');
    expect(labels()).toContain('action:create-topic');

    const input = field(wrapper, 'palette-input');
    await input.setValue('orders');
    expect(labels()).toEqual(['topic:orders', 'browse:orders', 'produce:orders']);
    await input.trigger('keydown', { key: 'ArrowDown' });
    expect(wrapper.find('.shell-command-palette-item.is-selected').attributes('data-id')).toBe(
      'browse:orders',
    );
    await input.trigger('keydown', { key: 'ArrowDown' });
    await input.trigger('keydown', { key: 'ArrowDown' });
    // Wraps around.
    expect(wrapper.find('.shell-command-palette-item.is-selected').attributes('data-id')).toBe(
      'topic:orders',
    );
    await input.trigger('keydown', { key: 'ArrowUp' });
    expect(wrapper.find('.shell-command-palette-item.is-selected').attributes('data-id')).toBe(
      'produce:orders',
    );
    await input.trigger('keydown', { key: 'Enter' });
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/produce?topic=orders'));
    wrapper.unmount();
  });

  it('jumps to a group, runs actions, says when nothing matches, and closes with Escape', async () => {
    const fake = shellFake();
    fake.groups = [
      {
        groupId: 'billing',
        state: 'Stable',
        protocolType: 'consumer',
        members: 2,
        topics: [],
        totalLag: 0,
        coordinator: 1,
      },
    ];
    const { wrapper, router } = await mountApp(fake);
    await wrapper.find('[data-test=open-palette]').trigger('click');
    const input = field(wrapper, 'palette-input');
    await vi.waitFor(() => expect(wrapper.findAll('[data-test=palette-item]').length).toBeGreaterThan(6));
    await input.setValue('bill');
    await vi.waitFor(() =>
      expect(wrapper.findAll('[data-test=palette-item]').map((i) => i.attributes('data-id'))).toEqual([
        'group:billing',
      ]),
    );
    await input.trigger('keydown', { key: 'Enter' });
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/groups/billing'));

    await wrapper.find('[data-test=open-palette]').trigger('click');
    await input.setValue('create topic');
    await input.trigger('keydown', { key: 'Enter' });
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/topics?create=1'));

    await wrapper.find('[data-test=open-palette]').trigger('click');
    await input.setValue('zzz-nothing');
    expect(wrapper.find('[data-test=palette-empty]').text()).toBe('Nothing matches “zzz-nothing”.');
    await input.trigger('keydown', { key: 'Escape' });
    await vi.waitFor(() => expect(wrapper.find('[data-test=palette-input]').isVisible()).toBe(false));
    wrapper.unmount();
  });
});
