/** `eddy groups list|describe|reset|delete`: kafka-consumer-groups for any Kafka cluster. */
import {
  GroupAdmin,
  describeGroupOffsets,
  resetGroupOffsets,
  ErrorCode,
  KafkaClientError,
  type GroupDescription,
  type GroupOffsetRow,
  type OffsetResetScope,
  type OffsetResetSpec,
} from '../engine/client/index.js';
import { DEFAULT_BOOTSTRAP, UsageError, parse } from './args.js';

export const GROUPS_HELP = `Usage: eddy groups <list|describe|reset|delete> [GROUP ...] [options]

  list                  consumer group ids, one per line (with --state: a GROUP / STATE table)
  describe [GROUP ...]  committed offsets, log end offsets, lag and owning member per partition
                        (--members: the members; --state: coordinator, assignor, state)
  reset GROUP           new committed offsets for a group without members: previewed, or committed
                        with --execute
  delete GROUP ...      delete groups without members, with their offsets

Options:
  --bootstrap-server H:P  broker(s) to start from, comma-separated (default ${DEFAULT_BOOTSTRAP})
  --group NAME            a group, instead of (or besides) the positional arguments; repeatable
  --all-groups            describe, delete: every consumer group
  --state [S,...]         list: show states, or only groups in these states (Empty,Stable,...);
                          describe: show the group's state instead of its offsets
  --members               describe: show the members and how many partitions each has
  --topic T[:P,P...]      reset: a topic, or some of its partitions; repeatable
  --all-topics            reset: every partition the group has committed offsets for
  --to-earliest           reset to the log start offset
  --to-latest             reset to the log end offset
  --to-current            keep committed offsets (partitions without one get the log end offset)
  --to-offset N           reset to offset N (moved into the log's range when outside it)
  --shift-by N            move the committed offsets by N (negative moves back), within the log's range
  --to-datetime TIME      the first offset at or after TIME, ISO 8601 with an explicit zone,
                          e.g. 2025-03-01T09:30:00Z or 2025-03-01T10:30:00.000+01:00
  --dry-run               reset: only show the new offsets (the default)
  --execute               reset: commit the new offsets
  -h, --help              show this help

As Kafka's tool does, a reset only applies to a group whose members have all left (state Empty).
`;

const C = 'groups';
const MISSING = '-';

export async function runGroups(argv: string[]): Promise<number> {
  const { values, positionals } = parse(C, normalize(argv), {
    'bootstrap-server': { type: 'string', default: DEFAULT_BOOTSTRAP },
    group: { type: 'string', multiple: true },
    'all-groups': { type: 'boolean', default: false },
    state: { type: 'string' },
    members: { type: 'boolean', default: false },
    topic: { type: 'string', multiple: true },
    'all-topics': { type: 'boolean', default: false },
    'to-earliest': { type: 'boolean', default: false },
    'to-latest': { type: 'boolean', default: false },
    'to-current': { type: 'boolean', default: false },
    'to-offset': { type: 'string' },
    'shift-by': { type: 'string' },
    'to-datetime': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    execute: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(GROUPS_HELP);
    return 0;
  }
  const [action, ...rest] = positionals;
  const ids = [...rest, ...(values.group ?? [])];
  if (action === undefined) throw new UsageError('say what to do: list, describe, reset or delete', C);
  if (!['list', 'describe', 'reset', 'delete'].includes(action)) {
    throw new UsageError(`unknown action '${action}'; use list, describe, reset or delete`, C);
  }
  const groups = new GroupAdmin({ bootstrap: values['bootstrap-server'], clientId: 'eddy-groups' });
  try {
    switch (action) {
      case 'list': {
        if (ids.length > 0) throw new UsageError('list takes no group names', C);
        return await list(groups, values.state);
      }
      case 'describe': {
        if (values.members && values.state !== undefined) {
          throw new UsageError('describe shows --members or --state, not both', C);
        }
        const targets = values['all-groups'] ? await consumerGroupIds(groups) : ids;
        if (targets.length === 0 && !values['all-groups'])
          throw new UsageError('name the group(s) to describe, or use --all-groups', C);
        const view = values.members ? 'members' : values.state !== undefined ? 'state' : 'offsets';
        return await describe(groups, targets, view);
      }
      case 'reset': {
        if (ids.length !== 1) throw new UsageError('reset takes exactly one group', C);
        if (values['dry-run'] && values.execute)
          throw new UsageError('use --dry-run or --execute, not both', C);
        const spec = resetSpec(values);
        const scope: OffsetResetScope = {
          allTopics: values['all-topics'],
          topics: (values.topic ?? []).map(parseTopicScope),
        };
        if (!scope.allTopics && scope.topics!.length === 0) {
          throw new UsageError('say which partitions to reset: --topic T[:P,...] or --all-topics', C);
        }
        if (scope.allTopics && scope.topics!.length > 0)
          throw new UsageError('use --topic or --all-topics, not both', C);
        const result = await resetGroupOffsets(groups, ids[0], spec, scope, { execute: values.execute });
        for (const note of result.notes) process.stderr.write(`${note}\n`);
        process.stdout.write(formatResetPlan(result.groupId, result.offsets));
        if (!values.execute) {
          process.stderr.write(
            values['dry-run']
              ? 'Dry run: nothing was committed.\n'
              : 'Dry run (the default): nothing was committed. Add --execute to commit these offsets.\n',
          );
        }
        return 0;
      }
      case 'delete': {
        const targets = values['all-groups'] ? await consumerGroupIds(groups) : ids;
        if (targets.length === 0) throw new UsageError('name the group(s) to delete, or use --all-groups', C);
        return await deleteGroups(groups, targets);
      }
    }
    return 2;
  } catch (err) {
    if (
      err instanceof KafkaClientError &&
      (err.kind === 'config' || err.code === ErrorCode.NON_EMPTY_GROUP)
    ) {
      return fail(err.message);
    }
    throw err;
  } finally {
    await groups.close();
  }
}

/**
 * `--state` takes an optional value (as in Kafka's tool), which parseArgs cannot express: a bare
 * `--state` becomes `--state=`. Negative numbers after --shift-by / --to-offset are glued on too.
 */
function normalize(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if (a === '--state' && (next === undefined || next.startsWith('-'))) {
      out.push('--state=');
    } else if ((a === '--shift-by' || a === '--to-offset') && next !== undefined && /^-\d+$/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

async function consumerGroupIds(groups: GroupAdmin): Promise<string[]> {
  return (await groups.listGroups({ protocolTypes: ['consumer', ''] })).map((g) => g.groupId);
}

const STATES = ['Empty', 'Stable', 'PreparingRebalance', 'CompletingRebalance', 'Dead'];

async function list(groups: GroupAdmin, stateOption: string | undefined): Promise<number> {
  if (stateOption === undefined) {
    for (const g of await groups.listGroups({ protocolTypes: ['consumer', ''] }))
      process.stdout.write(`${g.groupId}\n`);
    return 0;
  }
  const states = stateOption
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s);
  const unknown = states.filter((s) => !STATES.some((k) => k.toLowerCase() === s.toLowerCase()));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown state(s) ${unknown.map((s) => `'${s}'`).join(', ')}; states are ${STATES.join(', ')}`,
      C,
    );
  }
  const listed = await groups.listGroups({ protocolTypes: ['consumer', ''], states });
  const width = Math.max(15, ...listed.map((g) => g.groupId.length)) + 10;
  let out = `${pad('GROUP', width)} ${pad('STATE', 20)}\n`;
  for (const g of listed) out += `${pad(g.groupId, width)} ${pad(g.state ?? 'Unknown', 20)}\n`;
  process.stdout.write(out);
  return 0;
}

async function describe(
  groups: GroupAdmin,
  ids: string[],
  view: 'offsets' | 'members' | 'state',
): Promise<number> {
  let code = 0;
  for (const id of [...ids].sort()) {
    if (view === 'offsets') {
      const described = await describeGroupOffsets(groups, id);
      if (!announceState(described.group)) {
        code = 1;
        continue;
      }
      if (described.rows.length > 0) process.stdout.write(formatOffsets(described.rows));
      continue;
    }
    const [group] = await groups.describeGroups([id]);
    if (group.error) throw group.error;
    if (!announceState(group)) {
      code = 1;
      continue;
    }
    process.stdout.write(view === 'members' ? formatMembers(group) : formatState(group));
  }
  return code;
}

/** Kafka's notes about a group's state, on stderr; false when the group does not exist. */
function announceState(group: GroupDescription): boolean {
  switch (group.state) {
    case 'Dead':
      process.stderr.write(`eddy groups: consumer group '${group.groupId}' does not exist\n`);
      return false;
    case 'Empty':
      process.stderr.write(`\nConsumer group '${group.groupId}' has no active members.\n`);
      return true;
    case 'PreparingRebalance':
    case 'CompletingRebalance':
      process.stderr.write(`\nWarning: Consumer group '${group.groupId}' is rebalancing.\n`);
      return true;
    default:
      return true;
  }
}

/** The table of kafka-consumer-groups --describe: same columns, widths and '-' for unknown values. */
export function formatOffsets(rows: GroupOffsetRow[]): string {
  const w = (f: (r: GroupOffsetRow) => string) => Math.max(15, ...rows.map((r) => f(r).length));
  const gw = w((r) => r.groupId);
  const tw = w((r) => r.topic);
  const cw = w((r) => r.consumerId ?? MISSING);
  const hw = w((r) => r.host ?? MISSING);
  const line = (c: string[]) =>
    `${pad(c[0], gw)} ${pad(c[1], tw)} ${pad(c[2], 10)} ${pad(c[3], 15)} ${pad(c[4], 15)} ${pad(c[5], 15)} ${pad(c[6], cw)} ${pad(c[7], hw)} ${c[8]}`;
  const text = (n: number | null) => (n === null ? MISSING : String(n));
  const lines = [
    line([
      'GROUP',
      'TOPIC',
      'PARTITION',
      'CURRENT-OFFSET',
      'LOG-END-OFFSET',
      'LAG',
      'CONSUMER-ID',
      'HOST',
      'CLIENT-ID',
    ]),
    ...rows.map((r) =>
      line([
        r.groupId,
        r.topic,
        String(r.partition),
        text(r.currentOffset),
        text(r.logEndOffset),
        text(r.lag),
        r.consumerId ?? MISSING,
        r.host ?? MISSING,
        r.clientId ?? MISSING,
      ]),
    ),
  ];
  return `\n${lines.join('\n')}\n\n`;
}

function formatMembers(group: GroupDescription): string {
  const members = group.members;
  const w = (f: (m: GroupDescription['members'][number]) => string, min = 15) =>
    Math.max(min, ...members.map((m) => f(m).length));
  const withInstance = members.some((m) => m.groupInstanceId);
  const gw = Math.max(15, group.groupId.length);
  const cw = w((m) => m.memberId);
  const iw = w((m) => m.groupInstanceId ?? '', 17);
  const hw = w((m) => m.clientHost);
  const kw = w((m) => m.clientId);
  const line = (c: string[]) =>
    withInstance
      ? `${pad(c[0], gw)} ${pad(c[1], cw)} ${pad(c[2], iw)} ${pad(c[3], hw)} ${pad(c[4], kw)} ${pad(c[5], 15)} `
      : `${pad(c[0], gw)} ${pad(c[1], cw)} ${pad(c[3], hw)} ${pad(c[4], kw)} ${pad(c[5], 15)} `;
  const lines = [line(['GROUP', 'CONSUMER-ID', 'GROUP-INSTANCE-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS'])];
  for (const m of members) {
    const count = (m.assignment?.partitions ?? []).reduce((n, t) => n + t.partitions.length, 0);
    lines.push(
      line([group.groupId, m.memberId, m.groupInstanceId ?? '', m.clientHost, m.clientId, String(count)]),
    );
  }
  return `\n${lines.join('\n')}\n`;
}

function formatState(group: GroupDescription): string {
  const c = group.coordinator;
  const coordinator = c ? `${c.host}:${c.port}  (${c.nodeId})` : MISSING;
  const gw = Math.max(15, group.groupId.length);
  const cw = Math.max(25, coordinator.length);
  const line = (v: string[]) => `${pad(v[0], gw)} ${pad(v[1], cw)} ${pad(v[2], 20)} ${pad(v[3], 20)} ${v[4]}`;
  return `\n${line(['GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS'])}\n${line([
    group.groupId,
    coordinator,
    group.protocol || MISSING,
    group.state,
    String(group.members.length),
  ])}\n`;
}

export function formatResetPlan(
  groupId: string,
  offsets: { topic: string; partition: number; offset: number }[],
): string {
  const gw = Math.max(15, groupId.length);
  const tw = Math.max(15, ...offsets.map((o) => o.topic.length));
  const line = (c: string[]) => `${pad(c[0], gw)} ${pad(c[1], tw)} ${pad(c[2], 10)} ${c[3]}`;
  const lines = [line(['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'])];
  for (const o of offsets) lines.push(line([groupId, o.topic, String(o.partition), String(o.offset)]));
  return `\n${lines.join('\n')}\n`;
}

async function deleteGroups(groups: GroupAdmin, ids: string[]): Promise<number> {
  const results = await groups.deleteGroups(ids);
  const ok = results.filter((r) => !r.error).map((r) => `'${r.groupId}'`);
  const failed = results.filter((r) => r.error);
  if (failed.length === 0) {
    process.stdout.write(`Deletion of requested consumer groups (${ok.join(', ')}) was successful.\n`);
    return 0;
  }
  for (const r of failed) {
    const why =
      r.error!.code === ErrorCode.NON_EMPTY_GROUP
        ? 'it still has members (stop its consumers first)'
        : r.error!.code === ErrorCode.GROUP_ID_NOT_FOUND
          ? 'it does not exist'
          : r.error!.message;
    process.stderr.write(`eddy groups: group '${r.groupId}' could not be deleted: ${why}\n`);
  }
  if (ok.length > 0)
    process.stdout.write(`These consumer groups were deleted successfully: ${ok.join(', ')}\n`);
  return 1;
}

function resetSpec(values: {
  'to-earliest': boolean;
  'to-latest': boolean;
  'to-current': boolean;
  'to-offset'?: string;
  'shift-by'?: string;
  'to-datetime'?: string;
}): OffsetResetSpec {
  const specs: OffsetResetSpec[] = [];
  if (values['to-earliest']) specs.push({ to: 'earliest' });
  if (values['to-latest']) specs.push({ to: 'latest' });
  if (values['to-current']) specs.push({ to: 'current' });
  if (values['to-offset'] !== undefined)
    specs.push({ to: 'offset', offset: integer('to-offset', values['to-offset']) });
  if (values['shift-by'] !== undefined)
    specs.push({ to: 'shift-by', shift: integer('shift-by', values['shift-by']) });
  if (values['to-datetime'] !== undefined)
    specs.push({ to: 'datetime', timestamp: parseDatetime(values['to-datetime']) });
  if (specs.length !== 1) {
    throw new UsageError(
      `${specs.length === 0 ? 'say where to reset to' : 'give one reset target'}: --to-earliest, --to-latest, --to-current, --to-offset N, --shift-by N or --to-datetime TIME`,
      C,
    );
  }
  return specs[0];
}

function integer(name: string, raw: string): number {
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n)) {
    throw new UsageError(`--${name} must be a whole number (got '${raw}')`, C);
  }
  return n;
}

/** `T` or `T:P,P,...` (Kafka's --topic syntax for resets). */
export function parseTopicScope(raw: string): { topic: string; partitions?: number[] } {
  const colon = raw.indexOf(':');
  if (colon < 0) {
    if (!raw) throw new UsageError('--topic needs a topic name', C);
    return { topic: raw };
  }
  const topic = raw.slice(0, colon);
  const list = raw.slice(colon + 1).split(',');
  if (!topic || list.some((p) => !/^\d+$/.test(p.trim()))) {
    throw new UsageError(`--topic expects TOPIC or TOPIC:PARTITION,PARTITION,... (got '${raw}')`, C);
  }
  return { topic, partitions: [...new Set(list.map((p) => Number(p.trim())))] };
}

/**
 * An ISO 8601 date and time with an explicit zone (Z or ±HH:MM), in ms since the epoch. A time
 * without a zone would depend on the machine's time zone, so it is refused.
 */
export function parseDatetime(raw: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:?\d{2})$/i.exec(
    raw.trim(),
  );
  if (!m) {
    throw new UsageError(
      `--to-datetime expects an ISO 8601 time with its zone, e.g. 2025-03-01T09:30:00Z or 2025-03-01T10:30:00+01:00 (got '${raw}')`,
      C,
    );
  }
  const zone =
    m[3].toUpperCase() === 'Z' ? 'Z' : m[3].includes(':') ? m[3] : `${m[3].slice(0, 3)}:${m[3].slice(3)}`;
  const ms = Date.parse(`${m[1]}T${m[2]}${zone}`);
  if (Number.isNaN(ms)) throw new UsageError(`--to-datetime: '${raw}' is not a valid date and time`, C);
  return ms;
}

/** Java's %-Ns: left-aligned, padded to at least n characters. */
function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function fail(message: string): number {
  process.stderr.write(`eddy groups: ${message}\n`);
  return 1;
}
