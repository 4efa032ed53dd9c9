import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler } from '../handler.js';
import { isZeroUuid, topicIdFromBuffer, topicIdToBuffer } from '../topic-id.js';

const ZERO_UUID = Buffer.alloc(16);

export const deleteTopicsHandler = defineHandler<any, any>({
  apiKey: 20,
  name: 'DeleteTopics',
  minVersion: 1,
  maxVersion: 6,
  async handle(req, ctx) {
    const { broker } = ctx;
    // v6+ names topics by name or id; older versions by name only.
    const wanted: { name: string | null; topicId: Buffer | null }[] =
      ctx.apiVersion >= 6 ? req.topics : (req.topicNames as string[]).map((name) => ({ name, topicId: null }));
    if (!broker.config.deleteTopicEnable) {
      return {
        throttleTimeMs: 0,
        responses: wanted.map((w) => ({
          name: w.name,
          topicId: w.topicId ?? ZERO_UUID,
          errorCode: ErrorCode.TOPIC_DELETION_DISABLED,
          errorMessage: 'Topic deletion is disabled on this cluster (delete.topic.enable=false).',
        })),
      };
    }
    const responses = [];
    for (const w of wanted) {
      let name = w.name;
      if ((name === null || name === '') && w.topicId && !isZeroUuid(w.topicId)) {
        name = broker.image.topicsById.get(topicIdFromBuffer(w.topicId))?.name ?? null;
        if (name === null) {
          responses.push({ name: null, topicId: w.topicId, errorCode: ErrorCode.UNKNOWN_TOPIC_ID, errorMessage: 'No topic has this id.' });
          continue;
        }
      }
      if (name === null) {
        responses.push({ name: null, topicId: ZERO_UUID, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Neither a topic name nor an id was given.' });
        continue;
      }
      const [r] = await broker.controller.deleteTopics([name]);
      responses.push({
        name,
        topicId: r.topicId ? topicIdToBuffer(r.topicId) : ZERO_UUID,
        errorCode: r.errorCode,
        errorMessage: r.errorMessage,
      });
    }
    return { throttleTimeMs: 0, responses };
  },
});
