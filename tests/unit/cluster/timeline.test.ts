import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Timeline } from '../../../src/engine/observe/timeline.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('Timeline', () => {
  it('replays recorded events after a restart, skips a torn line and keeps the newest `capacity`', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-timeline-'));
    dirs.push(dir);
    const file = path.join(dir, 'timeline.jsonl');
    const t1 = new Timeline(file, 3);
    for (let i = 1; i <= 4; i++) t1.record({ type: 'broker-down', at: i, brokerId: i });
    t1.close();
    fs.appendFileSync(file, '{"type":"broker-up","at":9,'); // torn by a crash
    const t2 = new Timeline(file, 3);
    expect(t2.since(0).map((e) => (e as { brokerId: number }).brokerId)).toEqual([2, 3, 4]);
    expect(t2.since(4)).toHaveLength(1);
    t2.close();
  });
});
