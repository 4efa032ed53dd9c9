/**
 * Lag history per consumer group, kept by the host: once a second while anyone watches the group
 * (`groups.onLag`), the group's total lag is sampled into a ring buffer of the last 15 minutes.
 * The buffer outlives its watchers (reopening a group's page shows what was seen before, with a gap
 * for the time nobody watched); it is cleared when the active cluster changes.
 */
import type { LagSample } from '../../shared/contract/index.js';
import type { LinkProvider } from './link.js';
import { readGroupDetail } from './group-state.js';

export const LAG_SAMPLE_MS = 1000;
/** 15 minutes at one sample a second. */
export const LAG_HISTORY_SAMPLES = 900;

interface Tracker {
  linkId: string | null;
  samples: LagSample[];
  listeners: Set<(sample: LagSample) => void>;
  timer: ReturnType<typeof setInterval> | null;
  sampling: boolean;
}

export class LagHistory {
  private readonly trackers = new Map<string, Tracker>();

  constructor(
    private readonly links: LinkProvider,
    private readonly sampleMs = LAG_SAMPLE_MS,
    private readonly capacity = LAG_HISTORY_SAMPLES,
  ) {}

  /** Starts watching: returns the history so far; `listener` hears each new sample until `stop`. */
  watch(groupId: string, listener: (sample: LagSample) => void): { history: LagSample[]; stop: () => void } {
    let t = this.trackers.get(groupId);
    if (!t) {
      t = { linkId: null, samples: [], listeners: new Set(), timer: null, sampling: false };
      this.trackers.set(groupId, t);
    }
    const tracker = t;
    tracker.listeners.add(listener);
    if (!tracker.timer) {
      tracker.timer = setInterval(() => void this.sample(groupId, tracker), this.sampleMs);
      void this.sample(groupId, tracker);
    }
    return {
      history: [...tracker.samples],
      stop: () => {
        tracker.listeners.delete(listener);
        if (tracker.listeners.size === 0 && tracker.timer) {
          clearInterval(tracker.timer);
          tracker.timer = null;
        }
      },
    };
  }

  private async sample(groupId: string, t: Tracker): Promise<void> {
    if (t.sampling) return;
    t.sampling = true;
    try {
      const link = await this.links.current();
      if (t.linkId !== link.id) {
        t.linkId = link.id;
        t.samples = [];
      }
      const detail = await readGroupDetail(link, groupId);
      if (detail.totalLag === null || t.listeners.size === 0) return;
      const s: LagSample = { at: Date.now(), totalLag: detail.totalLag };
      t.samples.push(s);
      if (t.samples.length > this.capacity) t.samples.splice(0, t.samples.length - this.capacity);
      for (const l of t.listeners) l(s);
    } catch {
      // The cluster is unreachable for a moment: no sample this second.
    } finally {
      t.sampling = false;
    }
  }
}
