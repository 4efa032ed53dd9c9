"""confluent-kafka (librdkafka) for the failover tests (tests/interop/failover.test.ts).

Usage: python failover_confluent.py load|steps|dump --bootstrap H:P --topic T [options]

load   connect, print {"event":"waiting"}, wait for a line "go" on stdin, then send --count records
       (acks=all, enable.idempotence=true, partitioner murmur2_random), paced by --rate;
       {"event":"progress","acked":N,"failed":M} every --progress acks, then "seq partition offset" per
       acknowledged record into --acks-file and {"event":"done",...} last. Failures are reported, not fatal.
steps  the line protocol of failover_common.py, producing to --partition.
dump   every record of every partition, offset 0 to its end, into --out as "partition offset key value" lines.
"""
import sys
import time
import uuid

import confluent_kafka
from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, Producer, TopicPartition

from failover_common import (Deadline, emit, extra_config, load_key, load_value, parse_args, step_key,
                             step_value, steps_loop)

CLIENT_ID = 'eddy-failover-confluent'


def version():
    v = confluent_kafka.version()  # a string in confluent-kafka 2.x, a (string, int) tuple before
    return '%s (librdkafka %s)' % (v if isinstance(v, str) else v[0], confluent_kafka.libversion()[0])


def producer_config(args):
    conf = {
        'bootstrap.servers': args.bootstrap,
        'client.id': CLIENT_ID,
        'acks': 'all',
        'enable.idempotence': True,
        # librdkafka's default is consistent_random (CRC32); murmur2_random matches Java for keyed records.
        'partitioner': 'murmur2_random',
        'linger.ms': 5,
        # Bounded: a record that is neither acknowledged nor failed by then is reported as failed.
        'message.timeout.ms': int(args.timeout * 1000),
    }
    conf.update(extra_config(args))
    return conf


def produce_one(producer, deadline, **kw):
    while True:
        try:
            producer.produce(**kw)
            return
        except BufferError:
            producer.poll(0.05)
            deadline.check('local queue full')


def load(args):
    deadline = Deadline(args.timeout)
    prefix = len(args.id) + 1
    acks = []
    errors = {}
    state = {'failed': 0}

    def on_delivery(err, msg):
        if err is None:
            acks.append((int(msg.key()[prefix:]), msg.partition(), msg.offset()))
        else:
            state['failed'] += 1
            errors[err.name()] = errors.get(err.name(), 0) + 1
        n = len(acks) + state['failed']
        if n % args.progress == 0:
            emit({'event': 'progress', 'acked': len(acks), 'failed': state['failed']})

    producer = Producer(producer_config(args))
    # Connected and the topic's metadata known: then wait for the test's signal to start.
    producer.list_topics(args.topic, timeout=30)
    emit({'event': 'waiting'})
    go = sys.stdin.readline().strip()
    if go != 'go':
        raise SystemExit('expected go, got %r' % go)
    started = time.monotonic()
    for seq in range(args.count):
        if args.rate > 0:
            due = started + seq / args.rate
            while True:
                wait = due - time.monotonic()
                if wait <= 0:
                    break
                producer.poll(wait)
        produce_one(producer, deadline, topic=args.topic, key=load_key(args.id, seq),
                    value=load_value(args.id, seq), on_delivery=on_delivery)
        producer.poll(0)
    pending = producer.flush(max(0.0, deadline.left()))
    with open(args.acks_file, 'w') as f:
        f.write(''.join('%d %d %d\n' % a for a in acks))
    emit({'event': 'done', 'client': 'confluent-kafka', 'version': version(), 'acked': len(acks),
          'failed': state['failed'], 'errors': errors, 'pending': pending,
          'ms': int((time.monotonic() - started) * 1000)})


def read_all(args, deadline, sink):
    """Every record of every partition, from the beginning to the end offset seen at the start."""
    consumer = Consumer({
        'bootstrap.servers': args.bootstrap,
        'client.id': CLIENT_ID,
        'group.id': 'eddy-failover-' + uuid.uuid4().hex,  # required by the API; assign() never joins it
        'enable.auto.commit': False,
        'auto.offset.reset': 'earliest',
    })
    try:
        end = {}
        for p in range(args.partitions):
            end[p] = consumer.get_watermark_offsets(TopicPartition(args.topic, p), timeout=30)[1]
        consumer.assign([TopicPartition(args.topic, p, OFFSET_BEGINNING) for p in range(args.partitions)])
        pos = {p: 0 for p in end}
        while any(pos[p] < end[p] for p in end):
            deadline.check('positions %s, end offsets %s' % (pos, end))
            for msg in consumer.consume(num_messages=5000, timeout=0.5):
                err = msg.error()
                if err is not None:
                    if err.code() == KafkaError._PARTITION_EOF:
                        continue
                    raise KafkaException(err)
                sink(msg.partition(), msg.offset(), msg.key(), msg.value())
                pos[msg.partition()] = msg.offset() + 1
        return end
    finally:
        consumer.close()


def dump(args):
    deadline = Deadline(args.timeout)
    count = 0
    with open(args.out, 'w') as f:
        def sink(p, o, k, v):
            nonlocal count
            count += 1
            f.write('%d %d %s %s\n' % (p, o, k.decode(), v.decode()))
        end = read_all(args, deadline, sink)
    emit({'event': 'dumped', 'count': count, 'end': {str(p): o for p, o in end.items()}})


class StepsClient:
    name = 'confluent-kafka'

    def __init__(self, args):
        self.args = args
        self.version = version()
        self.producer = Producer(producer_config(args))

    def send(self, tag, n, deadline):
        acked, failed = [], []

        def on_delivery(err, msg, i):
            if err is None:
                acked.append([i, msg.partition(), msg.offset()])
            else:
                failed.append([i, err.name()])

        kw = {'partition': self.args.partition} if self.args.partition >= 0 else {}
        for i in range(n):
            produce_one(self.producer, deadline, topic=self.args.topic, key=step_key(self.args.id, tag, i),
                        value=step_value(self.args.id, tag, i),
                        on_delivery=lambda err, msg, i=i: on_delivery(err, msg, i), **kw)
        left = self.producer.flush(max(0.0, deadline.left()))
        done = {a[0] for a in acked} | {f[0] for f in failed}
        if left:
            failed.extend([i, 'PENDING'] for i in range(n) if i not in done)
        return acked, failed

    def read(self, deadline):
        out = []
        read_all(self.args, deadline, lambda p, o, k, v: out.append([p, o, k.decode(), v.decode()]))
        return out

    def close(self):
        self.producer.flush(5)


def main():
    args = parse_args(__doc__, ['load', 'steps', 'dump'])
    if args.mode == 'load':
        load(args)
    elif args.mode == 'dump':
        dump(args)
    else:
        steps_loop(StepsClient(args), args)


if __name__ == '__main__':
    main()
