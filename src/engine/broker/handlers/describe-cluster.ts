import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler } from '../handler.js';

const ENDPOINT_TYPE_BROKERS = 1;

export const describeClusterHandler = defineHandler<any, any>({
  apiKey: 60,
  name: 'DescribeCluster',
  minVersion: 0,
  maxVersion: 1,
  handle(req, ctx) {
    const image = ctx.broker.image;
    const live = image.liveBrokers();
    if (ctx.apiVersion >= 1 && req.endpointType !== ENDPOINT_TYPE_BROKERS) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.UNSUPPORTED_ENDPOINT_TYPE,
        errorMessage: 'Only broker endpoints can be described.',
        endpointType: req.endpointType,
        clusterId: image.clusterId,
        controllerId: -1,
        brokers: [],
      };
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      endpointType: ENDPOINT_TYPE_BROKERS,
      clusterId: image.clusterId,
      controllerId: live.length > 0 ? live[0].brokerId : -1,
      brokers: live.map((b) => ({ brokerId: b.brokerId, host: b.host, port: b.port, rack: b.rack })),
      clusterAuthorizedOperations: -2147483648,
    };
  },
});
