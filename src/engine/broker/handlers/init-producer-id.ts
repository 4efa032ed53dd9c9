import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler } from '../handler.js';

/**
 * InitProducerId for idempotent producers (transactionalId null). Java clients and kafka-python
 * enable idempotence by default, so this runs before their first produce.
 */
export const initProducerIdHandler = defineHandler<any, any>({
  apiKey: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 5,
  async handle(req, ctx) {
    if (req.transactionalId !== null && req.transactionalId !== undefined) {
      // Transactions need the transaction coordinator, which Eddy does not run yet.
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
        producerId: -1,
        producerEpoch: -1,
      };
    }
    const producerId = await ctx.broker.producerIds.nextProducerId();
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId, producerEpoch: 0 };
  },
});
