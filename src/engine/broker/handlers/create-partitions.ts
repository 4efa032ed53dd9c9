import { defineHandler } from '../handler.js';

export const createPartitionsHandler = defineHandler<any, any>({
  apiKey: 37,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 3,
  async handle(req, ctx) {
    const results = [];
    for (const t of req.topics as any[]) {
      const assignments: number[][] | null = t.assignments === null ? null : (t.assignments as any[]).map((a) => a.brokerIds);
      const r = await ctx.broker.controller.createPartitions(t.name, t.count, assignments, !!req.validateOnly);
      results.push({ name: t.name, errorCode: r.errorCode, errorMessage: r.errorMessage });
    }
    return { throttleTimeMs: 0, results };
  },
});
