import { defineHandler } from '../handler.js';

export const deleteGroupsHandler = defineHandler<any, any>({
  apiKey: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 2,
  async handle(req, ctx) {
    return { throttleTimeMs: 0, results: await ctx.broker.groups.deleteGroups(req.groupsNames as string[]) };
  },
});
