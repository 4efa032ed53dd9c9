import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler } from '../handler.js';

export const leaveGroupHandler = defineHandler<any, any>({
  apiKey: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 5,
  handle(req, ctx) {
    const v = ctx.apiVersion;
    // v0-2 name one member; v3+ (KIP-345) a batch, possibly by group.instance.id alone.
    const members =
      v >= 3
        ? (req.members as any[]).map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            reason: v >= 5 ? m.reason : null,
          }))
        : [{ memberId: req.memberId, groupInstanceId: null, reason: null }];
    const result = ctx.broker.groups.leaveGroup(req.groupId, members);
    if (v >= 3) return { throttleTimeMs: 0, ...result };
    // Before v3 the one member's error is the answer's error.
    const memberError =
      result.members.find((m) => m.errorCode !== ErrorCode.NONE)?.errorCode ?? ErrorCode.NONE;
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode !== ErrorCode.NONE ? result.errorCode : memberError,
    };
  },
});
