import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler } from '../handler.js';
import { handlers } from './index.js';

/** Kafka's rule for ClientSoftwareName / ClientSoftwareVersion (KIP-511). */
const SOFTWARE_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

export const apiVersionsHandler = defineHandler<any, any>({
  apiKey: 18,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 4,
  handle(req, ctx) {
    const apiKeys = handlers
      .map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
    if (ctx.apiVersion >= 3) {
      const name: string = req.clientSoftwareName ?? '';
      const version: string = req.clientSoftwareVersion ?? '';
      if (!SOFTWARE_PATTERN.test(name) || !SOFTWARE_PATTERN.test(version)) {
        return { errorCode: ErrorCode.INVALID_REQUEST, apiKeys, throttleTimeMs: 0 };
      }
      ctx.connection.state.clientSoftware = `${name}/${version}`;
    }
    return {
      errorCode: ErrorCode.NONE,
      apiKeys,
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: -1,
      finalizedFeatures: [],
      zkMigrationReady: false,
    };
  },
});
