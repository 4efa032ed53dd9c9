"""One consumer-group member (confluent-kafka or kafka-python) for the groups interop suite.

Usage: python group_member.py confluent|kafka-python --bootstrap H:P --topic T --group G --name NAME
       [--assignors range,roundrobin]

Subscribes, and prints one JSON line per event on stdout:
  {"event":"assigned","partitions":[...]}        after every (re)assignment: what it owns now
  {"event":"records","items":[[p,o,key],...]}    a polled batch, once processed (printed)
  {"event":"committed","offsets":{"p":next,...}} after the batch's offsets were committed (sync)
  {"event":"commit-failed","error":"..."}        a commit that will be retried
  {"event":"closed"}                             after SIGTERM: the consumer left the group
Processed offsets are committed after every batch and, on revocation, before the partitions go.
"""
import argparse
import json
import signal
import sys
import time

stopping = False


def on_sigterm(_sig, _frame):
    global stopping
    stopping = True


def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(',', ':')) + '\n')
    sys.stdout.flush()


def commit_with_retry(commit, pending, attempts=20):
    """Commits {partition: next offset}, trying `attempts` times (the coordinator may be moving).
    What could not be committed stays pending."""
    if not pending:
        return True
    for i in range(attempts):
        try:
            commit(dict(pending))
            emit({'event': 'committed', 'offsets': {str(p): o for p, o in pending.items()}})
            pending.clear()
            return True
        except Exception as e:  # noqa: BLE001 - any commit failure is retried, then reported
            emit({'event': 'commit-failed', 'error': str(e)[:300]})
            if i + 1 < attempts:
                time.sleep(0.25)
    return False


def run_confluent(args):
    from confluent_kafka import Consumer, TopicPartition

    consumer = Consumer({
        'bootstrap.servers': args.bootstrap,
        'group.id': args.group,
        'client.id': args.name,
        'enable.auto.commit': False,
        'auto.offset.reset': 'earliest',
        'partition.assignment.strategy': args.assignors,
        'session.timeout.ms': 10000,
        'heartbeat.interval.ms': 1000,
        'max.poll.interval.ms': 60000,
        'topic.metadata.refresh.interval.ms': 2000,
        'fetch.wait.max.ms': 200,
    })
    owned = set()
    pending = {}

    def commit(offsets):
        consumer.commit(offsets=[TopicPartition(args.topic, p, o) for p, o in offsets.items()], asynchronous=False)

    def on_assign(c, partitions):
        owned.update(tp.partition for tp in partitions)
        emit({'event': 'assigned', 'partitions': sorted(owned)})

    def on_revoke(c, partitions):
        revoked = {tp.partition for tp in partitions}
        commit_with_retry(commit, {p: o for p, o in pending.items() if p in revoked})
        for p in revoked:
            pending.pop(p, None)
        owned.difference_update(revoked)

    consumer.subscribe([args.topic], on_assign=on_assign, on_revoke=on_revoke)
    while not stopping:
        msgs = consumer.consume(num_messages=200, timeout=0.2)
        items = []
        for m in msgs:
            if m.error():
                continue
            items.append([m.partition(), m.offset(), (m.key() or b'').decode('utf-8', 'replace')])
            pending[m.partition()] = m.offset() + 1
        if items:
            emit({'event': 'records', 'items': items})
        # One try per loop: a failed commit stays pending and goes again after the next poll, which
        # also serves the rebalance callbacks the client may be waiting to run.
        commit_with_retry(commit, pending, attempts=1)
    commit_with_retry(commit, pending)
    consumer.close()
    emit({'event': 'closed'})


def run_kafka_python(args):
    from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition
    from kafka.coordinator.assignors.range import RangePartitionAssignor
    from kafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
    from kafka.structs import OffsetAndMetadata

    by_name = {'range': RangePartitionAssignor, 'roundrobin': RoundRobinPartitionAssignor}
    consumer = KafkaConsumer(
        bootstrap_servers=args.bootstrap,
        group_id=args.group,
        client_id=args.name,
        enable_auto_commit=False,
        auto_offset_reset='earliest',
        partition_assignment_strategy=[by_name[a] for a in args.assignors.split(',')],
        session_timeout_ms=10000,
        heartbeat_interval_ms=1000,
        max_poll_interval_ms=60000,
        metadata_max_age_ms=2000,
        fetch_max_wait_ms=200,
    )
    owned = set()
    pending = {}

    def commit(offsets):
        consumer.commit({TopicPartition(args.topic, p): OffsetAndMetadata(o, '', -1) for p, o in offsets.items()})

    class Listener(ConsumerRebalanceListener):
        def on_partitions_revoked(self, revoked):
            gone = {tp.partition for tp in revoked}
            commit_with_retry(commit, {p: o for p, o in pending.items() if p in gone})
            for p in gone:
                pending.pop(p, None)
            owned.difference_update(gone)

        def on_partitions_assigned(self, assigned):
            owned.clear()
            owned.update(tp.partition for tp in assigned)
            emit({'event': 'assigned', 'partitions': sorted(owned)})

    consumer.subscribe([args.topic], listener=Listener())
    while not stopping:
        batches = consumer.poll(timeout_ms=200, max_records=200)
        items = []
        for tp, msgs in batches.items():
            for m in msgs:
                items.append([tp.partition, m.offset, (m.key or b'').decode('utf-8', 'replace')])
                pending[tp.partition] = m.offset + 1
        if items:
            emit({'event': 'records', 'items': items})
        # One try per loop: a failed commit stays pending and goes again after the next poll, which
        # also serves the rebalance callbacks the client may be waiting to run.
        commit_with_retry(commit, pending, attempts=1)
    commit_with_retry(commit, pending)
    consumer.close()
    emit({'event': 'closed'})


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('client', choices=['confluent', 'kafka-python'])
    ap.add_argument('--bootstrap', required=True)
    ap.add_argument('--topic', required=True)
    ap.add_argument('--group', required=True)
    ap.add_argument('--name', required=True)
    ap.add_argument('--assignors', default='range,roundrobin')
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, on_sigterm)
    signal.signal(signal.SIGINT, on_sigterm)
    if args.client == 'confluent':
        run_confluent(args)
    else:
        run_kafka_python(args)


if __name__ == '__main__':
    main()
