// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { settingsFormFrom, settingsIssues } from '../../../src/renderer/components/settings-form.js';
import SettingsView from '../../../src/renderer/views/SettingsView.vue';
import { useSettingsStore } from '../../../src/renderer/stores/settings.js';
import { engineSettings, field, mountWith, shellFake } from './fakes/shell-fake.js';

afterEach(() => localStorage.clear());

describe('engine settings form rules', () => {
  it('splits retention into the largest whole unit', () => {
    expect(
      settingsFormFrom({ brokers: 3, basePort: 0, dataDir: '/d', retentionMs: 604_800_000 }),
    ).toMatchObject({
      retentionValue: 7,
      retentionUnit: 'days',
      retentionForever: false,
    });
    expect(settingsFormFrom({ brokers: 3, basePort: 0, dataDir: '/d', retentionMs: 90_000 })).toMatchObject({
      retentionValue: 90,
      retentionUnit: 'seconds',
    });
    expect(settingsFormFrom({ brokers: 3, basePort: 0, dataDir: '/d', retentionMs: -1 })).toMatchObject({
      retentionForever: true,
    });
  });

  it('checks ranges, including the last broker’s port', () => {
    const ok = settingsFormFrom({ brokers: 3, basePort: 9092, dataDir: '/d', retentionMs: 1000 });
    expect(settingsIssues(ok)).toEqual({});
    expect(settingsIssues({ ...ok, brokers: 10 }).brokers?.key).toBe('brokers');
    expect(settingsIssues({ ...ok, basePort: 80 }).basePort?.key).toBe('basePort');
    expect(settingsIssues({ ...ok, basePort: 0 })).toEqual({});
    expect(settingsIssues({ ...ok, basePort: 65_534 }).basePort).toEqual({
      key: 'basePortRange',
      named: { brokers: 3, port: 65_536 },
    });
    expect(settingsIssues({ ...ok, dataDir: '  ' }).dataDir?.key).toBe('dataDir');
    expect(settingsIssues({ ...ok, retentionValue: 0 }).retention?.key).toBe('retention');
    expect(settingsIssues({ ...ok, retentionValue: 0, retentionForever: true })).toEqual({});
  });
});

describe('SettingsView', () => {
  it('shows the engine settings and applies a change after confirming, explaining the restart', async () => {
    const fake = shellFake();
    const { wrapper } = await mountWith(SettingsView, fake, { path: '/settings' });
    await vi.waitFor(() => expect(wrapper.find('[data-test=engine-hint]').exists()).toBe(true));
    expect(wrapper.find('[data-test=engine-hint]').text()).toContain(
      'Applying restarts the embedded cluster',
    );
    expect((field(wrapper, 'engine-data-dir').element as HTMLInputElement).value).toBe(
      '/home/ola/.eddy/data',
    );
    expect((field(wrapper, 'engine-retention').element as HTMLInputElement).value).toBe('7');
    expect(wrapper.find('[data-test=engine-version]').text()).toBe('Eddy 0.1.0 · desktop app');
    // Nothing changed yet: nothing to apply.
    expect(wrapper.find('[data-test=engine-apply]').attributes('disabled')).toBeDefined();

    await field(wrapper, 'engine-data-dir').setValue('/tmp/eddy-class');
    await wrapper.find('[data-test=engine-apply]').trigger('click');
    expect(wrapper.find('[data-test=engine-confirm]').text()).toContain('Restart the embedded cluster now?');
    expect(fake.callsTo('settings.apply')).toEqual([]);
    await wrapper.find('[data-test=engine-confirm-apply]').trigger('click');
    await vi.waitFor(() =>
      expect(wrapper.find('[data-test=engine-result]').text()).toBe(
        'The embedded cluster restarted with the new settings.',
      ),
    );
    expect(fake.callsTo('settings.apply')).toEqual([
      [{ brokers: 3, basePort: 9092, dataDir: '/tmp/eddy-class', retentionMs: 604_800_000 }],
    ]);
    wrapper.unmount();
  });

  it('refuses values out of range before sending', async () => {
    const fake = shellFake();
    const { wrapper } = await mountWith(SettingsView, fake, { path: '/settings' });
    await vi.waitFor(() => expect(wrapper.find('[data-test=engine-hint]').exists()).toBe(true));
    await field(wrapper, 'engine-data-dir').setValue('');
    await vi.waitFor(() =>
      expect(wrapper.find('[data-test=engine-settings]').text()).toContain('Enter a directory.'),
    );
    expect(wrapper.find('[data-test=engine-apply]').attributes('disabled')).toBeDefined();
    wrapper.unmount();
  });

  it('is read-only when the host cannot change the settings', async () => {
    const fake = shellFake();
    fake.settings = engineSettings({ editable: false, shell: 'browser' });
    const { wrapper } = await mountWith(SettingsView, fake, { path: '/settings' });
    await vi.waitFor(() => expect(wrapper.find('[data-test=engine-readonly]').exists()).toBe(true));
    expect(wrapper.find('[data-test=engine-readonly]').text()).toContain('eddy serve');
    expect(wrapper.find('[data-test=engine-apply]').exists()).toBe(false);
    expect(field(wrapper, 'engine-data-dir').attributes('disabled')).toBeDefined();
    wrapper.unmount();
  });

  it('says why the settings could not be read', async () => {
    const fake = shellFake({ missing: ['settings'] });
    const { wrapper } = await mountWith(SettingsView, fake, { path: '/settings' });
    await vi.waitFor(() => expect(wrapper.find('[data-test=settings-load-error]').exists()).toBe(true));
    expect(wrapper.find('[data-test=settings-load-error]').text()).toContain(
      'Could not read the engine settings: This version of the engine does not offer that operation.',
    );
    wrapper.unmount();
  });

  it('switches theme, language and time zone, kept in the settings store', async () => {
    const fake = shellFake();
    const { wrapper } = await mountWith(SettingsView, fake, { path: '/settings' });
    const settings = useSettingsStore();
    await wrapper.find('[data-test=theme-select] input[value=dark]').setValue(true);
    expect(settings.theme).toBe('dark');
    await wrapper.find('[data-test=locale-select] input[value=pl]').setValue(true);
    expect(settings.locale).toBe('pl');
    await wrapper.find('[data-test=timezone-select] input[value=utc]').setValue(true);
    expect(settings.timeZone).toBe('utc');
    expect(localStorage.getItem('eddy.timeZone')).toBe('utc');
    wrapper.unmount();
  });
});
