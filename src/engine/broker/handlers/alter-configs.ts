import { defineHandler } from '../handler.js';
import { ALTER_OP, alterConfigs } from '../config-alter.js';

/**
 * AlterConfigs (legacy, v0-2): each resource's configs in the request replace its whole dynamic set.
 * TOPIC and BROKER resources ('' is the cluster-wide default, an id that broker — sent to it).
 */
export const alterConfigsHandler = defineHandler<any, any>({
  apiKey: 33,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 2,
  async handle(req, ctx) {
    const responses = await alterConfigs(
      ctx.broker,
      (req.resources as any[]).map((r) => ({
        resourceType: r.resourceType,
        resourceName: r.resourceName,
        configs: (r.configs as any[]).map((c) => ({ name: c.name, op: ALTER_OP.SET, value: c.value })),
      })),
      'replace',
      !!req.validateOnly,
    );
    return { throttleTimeMs: 0, responses };
  },
});
