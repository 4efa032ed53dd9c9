import { defineHandler, type RequestContext } from '../handler.js';

/** Kafka reports a member's host as InetAddress.toString() does: "/127.0.0.1". */
export function clientHostOf(ctx: RequestContext): string {
  return `/${ctx.connection.remoteAddress.replace(/^::ffff:/, '')}`;
}

export const joinGroupHandler = defineHandler<any, any>({
  apiKey: 11,
  name: 'JoinGroup',
  // Kafka 4.0.0 dropped v0-1; 4.0.1 brought them back for librdkafka (KAFKA-19444).
  minVersion: 0,
  maxVersion: 9,
  async handle(req, ctx) {
    const v = ctx.apiVersion;
    const result = await ctx.broker.groups.joinGroup({
      groupId: req.groupId,
      memberId: req.memberId,
      groupInstanceId: v >= 5 ? req.groupInstanceId : null,
      sessionTimeoutMs: req.sessionTimeoutMs,
      // v0 has one timeout for both, as in Kafka's JoinGroupRequest.
      rebalanceTimeoutMs: v >= 1 ? req.rebalanceTimeoutMs : req.sessionTimeoutMs,
      protocolType: req.protocolType,
      protocols: (req.protocols as { name: string; metadata: Buffer }[]).map((p) => ({
        name: p.name,
        metadata: p.metadata,
      })),
      clientId: ctx.header.clientId ?? '',
      clientHost: clientHostOf(ctx),
      requireKnownMemberId: v >= 4,
      supportsSkipAssignment: v >= 9,
      reason: v >= 8 ? req.reason : null,
    });
    return {
      throttleTimeMs: 0,
      ...result,
      // The protocol name is nullable from v7 on; Kafka sends "" to older clients.
      protocolName: result.protocolName ?? (v >= 7 ? null : ''),
    };
  },
});
