/**
 * One timeline event → one readable sentence in the user's language
 * ("Leader of orders-2 moved from broker 1 to broker 3 (epoch 5)"), plus the words a text filter
 * matches against. Pure: `t` is passed in, so tests and views agree.
 */
import type { TimelineEvent } from '../../../shared/contract/index.js';

type Translate = (key: string, named?: Record<string, unknown>) => string;

const S = 'brokers.timeline.sentences';

function list(ids: readonly number[]): string {
  return `[${ids.join(', ')}]`;
}

export function partitionLabel(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export function timelineSentence(event: TimelineEvent, t: Translate): string {
  switch (event.type) {
    case 'broker-up':
      return t(`${S}.brokerUp`, { broker: event.brokerId, address: `${event.host}:${event.port}` });
    case 'broker-down':
      return t(`${S}.brokerDown`, { broker: event.brokerId });
    case 'topic-created':
      return t(`${S}.topicCreated`, {
        topic: event.topic,
        partitions: event.partitions,
        rf: event.replicationFactor,
      });
    case 'topic-deleted':
      return t(`${S}.topicDeleted`, { topic: event.topic });
    case 'partitions-added':
      return t(`${S}.partitionsAdded`, { topic: event.topic, partitions: event.partitions });
    case 'leader-changed': {
      const named = {
        partition: partitionLabel(event.topic, event.partition),
        from: event.previousLeader,
        to: event.leader,
        epoch: event.leaderEpoch,
      };
      if (event.leader < 0) return t(`${S}.leaderLost`, named);
      if (event.previousLeader < 0) return t(`${S}.leaderElected`, named);
      return t(`${S}.leaderMoved`, named);
    }
    case 'isr-changed': {
      const named = {
        partition: partitionLabel(event.topic, event.partition),
        from: list(event.previousIsr),
        to: list(event.isr),
      };
      const grew = event.previousIsr.every((id) => event.isr.includes(id));
      const shrank = event.isr.every((id) => event.previousIsr.includes(id));
      if (shrank && event.isr.length < event.previousIsr.length) return t(`${S}.isrShrank`, named);
      if (grew && event.isr.length > event.previousIsr.length) return t(`${S}.isrGrew`, named);
      return t(`${S}.isrChanged`, named);
    }
    case 'replicas-changed': {
      const partition = partitionLabel(event.topic, event.partition);
      if (event.adding.length === 0 && event.removing.length === 0) {
        return t(`${S}.replicasChanged`, { partition, replicas: list(event.replicas) });
      }
      return t(`${S}.replicasMoving`, {
        partition,
        replicas: list(event.replicas),
        adding: list(event.adding),
        removing: list(event.removing),
      });
    }
    case 'config-changed': {
      const kind = t(event.resourceType === 'topic' ? `${S}.kindTopic` : `${S}.kindBroker`);
      if (event.value === null) {
        return t(`${S}.configReset`, { kind, resource: event.resourceName, name: event.name });
      }
      return t(`${S}.configSet`, {
        kind,
        resource: event.resourceName,
        name: event.name,
        value: event.value,
      });
    }
    case 'group-state':
      // "with 1 member", not "with 1 members".
      return t(`${S}.${event.members === 1 ? 'groupStateOneMember' : 'groupState'}`, {
        group: event.groupId,
        state: event.state,
        members: event.members,
      });
  }
}

/** Lower-case words a text filter looks in: topic, partition label, broker ids, group id. */
export function timelineSearchText(event: TimelineEvent): string {
  const parts: string[] = [event.type];
  switch (event.type) {
    case 'broker-up':
      parts.push(`broker ${event.brokerId}`, `${event.host}:${event.port}`);
      break;
    case 'broker-down':
      parts.push(`broker ${event.brokerId}`);
      break;
    case 'topic-created':
    case 'topic-deleted':
    case 'partitions-added':
      parts.push(event.topic);
      break;
    case 'leader-changed':
      parts.push(
        partitionLabel(event.topic, event.partition),
        `broker ${event.leader}`,
        `broker ${event.previousLeader}`,
      );
      break;
    case 'isr-changed':
      parts.push(
        partitionLabel(event.topic, event.partition),
        ...[...new Set([...event.isr, ...event.previousIsr])].map((id) => `broker ${id}`),
      );
      break;
    case 'replicas-changed':
      parts.push(partitionLabel(event.topic, event.partition), ...event.replicas.map((id) => `broker ${id}`));
      break;
    case 'config-changed':
      parts.push(event.resourceName, event.name);
      if (event.resourceType === 'broker') parts.push(`broker ${event.resourceName}`);
      break;
    case 'group-state':
      parts.push(event.groupId, event.state);
      break;
  }
  return parts.join(' ').toLowerCase();
}

/** Text filter: every whitespace-separated word must occur; "3" alone matches broker 3 too. */
export function matchesTimelineFilter(event: TimelineEvent, filter: string): boolean {
  const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = timelineSearchText(event);
  return words.every((w) => text.includes(w));
}
