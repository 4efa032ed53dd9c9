import {
  GroupAdmin,
  resetGroupOffsets,
  type OffsetResetResult,
  type OffsetResetSpec,
} from '../client/index.js';

/** Resetting an inactive group's offsets through a running engine (control socket, GUI services). */
export interface ResetOffsetsRequest {
  group: string;
  spec: OffsetResetSpec;
  /** Topics (all or some partitions) to reset; or `allTopics` for every partition the group committed. */
  topics?: { topic: string; partitions?: number[] }[];
  allTopics?: boolean;
  /** Commit the new offsets; without it the answer is a preview. */
  execute?: boolean;
}

const SPECS = new Set(['earliest', 'latest', 'current', 'offset', 'shift-by', 'datetime']);

/**
 * Works out (and with `execute` commits) new offsets for a group of this engine, with Eddy's own
 * client against the engine's bootstrap address, as `eddy groups reset` does against any cluster.
 * Only a group without members can be reset; otherwise this throws a KafkaClientError saying so.
 */
export async function resetOffsets(
  engine: { bootstrap: string },
  request: ResetOffsetsRequest,
): Promise<OffsetResetResult> {
  const problem = invalid(request);
  if (problem) throw new Error(`reset-offsets: ${problem}.`);
  const groups = new GroupAdmin({ bootstrap: engine.bootstrap, clientId: 'eddy-engine-reset' });
  try {
    return await resetGroupOffsets(
      groups,
      request.group,
      request.spec,
      { allTopics: request.allTopics === true, topics: request.topics },
      { execute: request.execute === true },
    );
  } finally {
    await groups.close();
  }
}

/** What is wrong with a request that came in as JSON, or null. */
function invalid(r: ResetOffsetsRequest): string | null {
  if (typeof r !== 'object' || r === null) return 'the request must be an object';
  if (typeof r.group !== 'string' || r.group === '') return 'give the group id';
  const spec = r.spec as { to?: unknown; offset?: unknown; shift?: unknown; timestamp?: unknown } | undefined;
  if (!spec || typeof spec.to !== 'string' || !SPECS.has(spec.to)) {
    return `spec.to must be one of ${[...SPECS].join(', ')}`;
  }
  if (spec.to === 'offset' && !Number.isSafeInteger(spec.offset)) return 'spec.offset must be a whole number';
  if (spec.to === 'shift-by' && !Number.isSafeInteger(spec.shift)) return 'spec.shift must be a whole number';
  if (spec.to === 'datetime' && !(Number.isSafeInteger(spec.timestamp) && (spec.timestamp as number) >= 0)) {
    return 'spec.timestamp must be ms since the epoch';
  }
  if (r.topics !== undefined) {
    if (!Array.isArray(r.topics)) return 'topics must be a list';
    for (const t of r.topics) {
      if (!t || typeof t.topic !== 'string' || !t.topic) return 'every topic needs a name';
      if (
        t.partitions !== undefined &&
        !(Array.isArray(t.partitions) && t.partitions.every((p) => Number.isInteger(p) && p >= 0))
      ) {
        return `the partitions of ${t.topic} must be a list of partition numbers`;
      }
    }
  }
  if (!r.allTopics && (r.topics ?? []).length === 0) return 'give topics, or allTopics';
  return null;
}
