/** The user's look, language, time zone and navigation width, kept in localStorage. Applying them is App.vue's job. */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { TimeZoneChoice } from '../format/index.js';
import { isLocale, preferredLocale, type Locale } from '../i18n/index.js';

export const THEMES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEMES)[number];

const THEME_KEY = 'eddy.theme';
const LOCALE_KEY = 'eddy.locale';
const ZONE_KEY = 'eddy.timeZone';
const NAV_KEY = 'eddy.navCollapsed';

function read(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

export const useSettingsStore = defineStore('settings', () => {
  const storedTheme = read(THEME_KEY);
  const theme = ref<ThemeChoice>(
    (THEMES as readonly string[]).includes(storedTheme ?? '') ? (storedTheme as ThemeChoice) : 'system',
  );
  const storedLocale = read(LOCALE_KEY);
  const locale = ref<Locale>(
    isLocale(storedLocale) ? storedLocale : preferredLocale(globalThis.navigator?.languages ?? []),
  );

  /** How timestamps are shown everywhere: the machine's zone or UTC (the zone is always printed). */
  const timeZone = ref<TimeZoneChoice>(read(ZONE_KEY) === 'utc' ? 'utc' : 'local');

  /** The side navigation shows icons only. */
  const navCollapsed = ref(read(NAV_KEY) === 'true');

  const media = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
  const systemPrefersDark = ref(media?.matches ?? false);
  media?.addEventListener('change', (event) => {
    systemPrefersDark.value = event.matches;
  });

  /** What is on screen: the choice, with 'system' resolved. */
  const resolvedTheme = computed<'light' | 'dark'>(() =>
    theme.value === 'system' ? (systemPrefersDark.value ? 'dark' : 'light') : theme.value,
  );

  watch(theme, (value) => write(THEME_KEY, value));
  watch(locale, (value) => write(LOCALE_KEY, value));
  watch(timeZone, (value) => write(ZONE_KEY, value));
  watch(navCollapsed, (value) => write(NAV_KEY, String(value)));

  function setTheme(value: ThemeChoice): void {
    theme.value = value;
  }

  function setLocale(value: Locale): void {
    locale.value = value;
  }

  function setTimeZone(value: TimeZoneChoice): void {
    timeZone.value = value;
  }

  function setNavCollapsed(value: boolean): void {
    navCollapsed.value = value;
  }

  return {
    theme,
    locale,
    timeZone,
    navCollapsed,
    resolvedTheme,
    setTheme,
    setLocale,
    setTimeZone,
    setNavCollapsed,
  };
});
