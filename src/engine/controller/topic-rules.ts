/** Kafka's rules for topic names (Topic.validate): legal characters, length, reserved names. */
export const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Returns null when the name is legal, otherwise a sentence a person can act on. */
export function topicNameProblem(name: string | null | undefined): string | null {
  if (name === null || name === undefined || name.length === 0) return 'Topic name is empty.';
  if (name === '.' || name === '..') return `Topic name cannot be "${name}".`;
  if (name.length > MAX_TOPIC_NAME_LENGTH)
    return `Topic name is ${name.length} characters long; the limit is ${MAX_TOPIC_NAME_LENGTH}.`;
  if (!LEGAL.test(name))
    return `Topic name "${name}" may only contain ASCII letters, digits, '.', '_' and '-'.`;
  return null;
}

/** Kafka forbids two topics that differ only by '.' versus '_' (their metric names collide). */
export function unifyCollisionChars(name: string): string {
  return name.replace(/\./g, '_');
}

export const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state']);
