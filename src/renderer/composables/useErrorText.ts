/**
 * Turns any error from the engine into the sentence the UI shows, in the user's language.
 * In English the host's own sentence wins: it names the exact topic, broker or reason ("A topic
 * named 'orders' already exists."). In other languages: Kafka's errors by their name
 * (`kafkaErrors.<NAME>`, carried in `detail`), Eddy's own codes by `errors.<CODE>`; when neither is
 * translated, the host's English sentence is better than nothing.
 */
import { useI18n } from 'vue-i18n';
import { EddyError } from '../../shared/errors.js';

export function useErrorText(): (error: unknown) => string {
  const { t, te, locale } = useI18n();
  return (error: unknown) => {
    if (!(error instanceof EddyError)) return t('errors.INTERNAL');
    if (locale.value === 'en' && error.code !== 'INTERNAL') return error.message;
    if (error.code === 'KAFKA_ERROR') {
      const key = `kafkaErrors.${error.detail ?? ''}`;
      if (error.detail && te(key)) return t(key);
      return error.message;
    }
    return te(`errors.${error.code}`) ? t(`errors.${error.code}`) : error.message;
  };
}
