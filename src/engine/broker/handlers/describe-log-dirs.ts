import fs from 'node:fs';
import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler } from '../handler.js';

/** DescribeLogDirs: this broker's one log directory, with each partition's size and follower lag. */
export const describeLogDirsHandler = defineHandler<any, any>({
  apiKey: 35,
  name: 'DescribeLogDirs',
  minVersion: 1,
  maxVersion: 4,
  handle(req, ctx) {
    const { broker } = ctx;
    const wanted: Map<string, Set<number>> | null =
      req.topics === null ? null : new Map((req.topics as any[]).map((t) => [t.topic, new Set<number>(t.partitions)]));
    const byTopic = new Map<string, any[]>();
    for (const p of broker.replicas.all()) {
      if (wanted && !wanted.get(p.topic)?.has(p.partition)) continue;
      const leaderEnd = p.isLeader ? p.logEndOffset : p.highWatermark;
      const list = byTopic.get(p.topic) ?? [];
      list.push({
        partitionIndex: p.partition,
        partitionSize: p.log.size,
        // A follower's lag behind its leader's high watermark as it last knew it; 0 on the leader.
        offsetLag: p.isLeader ? 0 : Math.max(0, leaderEnd - p.logEndOffset),
        isFutureKey: false,
      });
      byTopic.set(p.topic, list);
    }
    let totalBytes = -1;
    let usableBytes = -1;
    try {
      const st = fs.statfsSync(broker.config.logDir);
      totalBytes = st.blocks * st.bsize;
      usableBytes = st.bavail * st.bsize;
    } catch {
      // statfs is not available everywhere; Kafka reports -1 then too.
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      results: [
        {
          errorCode: ErrorCode.NONE,
          logDir: broker.config.logDir,
          topics: [...byTopic.entries()].map(([name, partitions]) => ({ name, partitions })),
          totalBytes,
          usableBytes,
        },
      ],
    };
  },
});
