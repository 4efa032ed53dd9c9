/**
 * Turns any error from the engine into the sentence the UI shows, in the user's language:
 * Kafka's errors by their name (`kafkaErrors.<NAME>`) when translated, else the host's sentence;
 * Eddy's own codes by `errors.<CODE>`.
 */
import { useI18n } from 'vue-i18n';
import { EddyError } from '../../shared/errors.js';

export function useErrorText(): (error: unknown) => string {
  const { t, te, locale } = useI18n();
  return (error: unknown) => {
    if (!(error instanceof EddyError)) return t('errors.INTERNAL');
    if (error.code === 'KAFKA_ERROR') {
      const key = `kafkaErrors.${error.detail ?? ''}`;
      if (error.detail && te(key)) return t(key);
      // The host's English sentence names the exact problem; better than a generic translation.
      return locale.value === 'en' || !te(`errors.${error.code}`) ? error.message : `${t('errors.KAFKA_ERROR')} ${error.message}`;
    }
    return t(`errors.${error.code}`);
  };
}
