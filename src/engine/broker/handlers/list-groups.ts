import { defineHandler } from '../handler.js';

export const listGroupsHandler = defineHandler<any, any>({
  apiKey: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 5,
  handle(req, ctx) {
    const v = ctx.apiVersion;
    const result = ctx.broker.groups.listGroups(
      v >= 4 ? req.statesFilter : [],
      v >= 5 ? req.typesFilter : [],
    );
    return { throttleTimeMs: 0, ...result };
  },
});
