import { defineHandler } from '../handler.js';
import { alterConfigs } from '../config-alter.js';

/**
 * IncrementalAlterConfigs (v0-1): SET, DELETE, and APPEND / SUBTRACT on list configs, for TOPIC and
 * BROKER resources; only the named keys change.
 */
export const incrementalAlterConfigsHandler = defineHandler<any, any>({
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  async handle(req, ctx) {
    const responses = await alterConfigs(
      ctx.broker,
      (req.resources as any[]).map((r) => ({
        resourceType: r.resourceType,
        resourceName: r.resourceName,
        configs: (r.configs as any[]).map((c) => ({ name: c.name, op: c.configOperation, value: c.value })),
      })),
      'incremental',
      !!req.validateOnly,
    );
    return { throttleTimeMs: 0, responses };
  },
});
