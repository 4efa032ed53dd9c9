import { createI18n } from 'vue-i18n';
import en, { type MessageSchema } from './en.js';
import pl from './pl.js';

export const LOCALES = ['en', 'pl'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The first of the user's languages that Eddy speaks, else English. */
export function preferredLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}

export function createEddyI18n(locale: Locale = 'en') {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, pl },
    // Backticks mark commands in our sentences; nothing here is HTML.
    warnHtmlMessage: false,
  });
}

export type EddyI18n = ReturnType<typeof createEddyI18n>;
