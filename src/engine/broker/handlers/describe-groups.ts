import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler } from '../handler.js';

/** Without an authorizer every group operation is allowed: READ (3), DELETE (6), DESCRIBE (8). */
const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);
const UNKNOWN_AUTHORIZED_OPERATIONS = -2147483648;

export const describeGroupsHandler = defineHandler<any, any>({
  apiKey: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 5,
  handle(req, ctx) {
    const withOperations = ctx.apiVersion >= 3 && req.includeAuthorizedOperations === true;
    return {
      throttleTimeMs: 0,
      groups: ctx.broker.groups.describeGroups(req.groups as string[]).map((g) => ({
        ...g,
        authorizedOperations:
          withOperations && g.errorCode === ErrorCode.NONE ? GROUP_OPERATIONS : UNKNOWN_AUTHORIZED_OPERATIONS,
      })),
    };
  },
});
