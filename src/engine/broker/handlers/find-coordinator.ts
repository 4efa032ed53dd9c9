import { defineHandler } from '../handler.js';

export const findCoordinatorHandler = defineHandler<any, any>({
  apiKey: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 6,
  async handle(req, ctx) {
    const groups = ctx.broker.groups;
    const keyType: number = ctx.apiVersion >= 1 ? req.keyType : 0;
    if (ctx.apiVersion >= 4) {
      // KIP-699: one request looks up many keys.
      const coordinators = await Promise.all(
        (req.coordinatorKeys as string[]).map(async (key) => ({
          key,
          ...(await groups.findCoordinator(keyType, key)),
        })),
      );
      return { throttleTimeMs: 0, coordinators };
    }
    const found = await groups.findCoordinator(keyType, req.key);
    // Kafka fills the v1-3 message with the error's name on success too.
    return { throttleTimeMs: 0, ...found, errorMessage: found.errorMessage ?? 'NONE' };
  },
});
