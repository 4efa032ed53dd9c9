import fs from 'node:fs';
import path from 'node:path';
import type { ClusterEvent } from './events.js';

/**
 * The recorded history of cluster events: kept in memory (the newest `capacity`) and appended to
 * `timeline.jsonl` in the data directory, so a later view can replay what happened, even across
 * restarts. The file is trimmed to the newest `capacity` events when it is opened.
 */
export class Timeline {
  private readonly events: ClusterEvent[] = [];
  private fd: number | null = null;

  constructor(
    private readonly file: string | null,
    private readonly capacity = 10_000,
  ) {
    if (!file) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (fs.existsSync(file)) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          this.events.push(JSON.parse(line) as ClusterEvent);
        } catch {
          // A torn last line after a crash: skip it.
        }
      }
      this.events.splice(0, Math.max(0, this.events.length - capacity));
      fs.writeFileSync(file, this.events.map((e) => JSON.stringify(e) + '\n').join(''));
    }
    this.fd = fs.openSync(file, 'a');
  }

  record(event: ClusterEvent): void {
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.shift();
    if (this.fd !== null) fs.writeSync(this.fd, JSON.stringify(event) + '\n');
  }

  /** Events at or after `since` (ms), oldest first. */
  since(since = 0): ClusterEvent[] {
    return this.events.filter((e) => e.at >= since);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
