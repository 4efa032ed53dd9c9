import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler } from '../handler.js';
import { brokerConfigEntries, topicConfigEntries, type ConfigEntry } from '../config-describe.js';

export const RESOURCE_TYPE = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

export const describeConfigsHandler = defineHandler<any, any>({
  apiKey: 32,
  name: 'DescribeConfigs',
  minVersion: 1,
  maxVersion: 4,
  handle(req, ctx) {
    const { broker } = ctx;
    const includeSynonyms = !!req.includeSynonyms;
    const includeDocumentation = !!req.includeDocumentation;
    const results = (req.resources as any[]).map((r) => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      let entries: ConfigEntry[];
      if (r.resourceType === RESOURCE_TYPE.TOPIC) {
        const topic = broker.image.topic(r.resourceName);
        if (!topic) {
          return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic '${r.resourceName}' does not exist.`, configs: [] };
        }
        entries = topicConfigEntries(broker, topic.configs);
      } else if (r.resourceType === RESOURCE_TYPE.BROKER) {
        if (r.resourceName !== '' && r.resourceName !== String(broker.nodeId)) {
          return {
            ...base,
            errorCode: ErrorCode.INVALID_REQUEST,
            errorMessage: `Broker ${r.resourceName} configs must be asked of broker ${r.resourceName} itself.`,
            configs: [],
          };
        }
        // '' is the cluster default: only the configs that have a dynamic cluster-wide value (Kafka's answer).
        entries = brokerConfigEntries(broker, r.resourceName === '' ? 'cluster-default' : 'broker');
      } else if (r.resourceType === RESOURCE_TYPE.BROKER_LOGGER) {
        entries = [];
      } else {
        return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unsupported resource type ${r.resourceType}.`, configs: [] };
      }
      const keys: string[] | null = r.configurationKeys;
      if (keys) entries = entries.filter((e) => keys.includes(e.name));
      return {
        ...base,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        configs: entries.map((e) => ({
          ...e,
          synonyms: includeSynonyms ? e.synonyms : [],
          documentation: includeDocumentation ? e.documentation : null,
        })),
      };
    });
    return { throttleTimeMs: 0, results };
  },
});
