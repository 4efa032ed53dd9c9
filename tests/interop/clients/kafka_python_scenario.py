"""The interop scenario with kafka-python 3.x: create the topic, produce the plan, read everything back.

Usage: python kafka_python_scenario.py create|produce|consume --bootstrap H:P --topic T [--partitions N] [--plan FILE]
Prints one JSON summary line on stdout.
"""
import logging
import sys

import kafka
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition

from interop_common import Deadline, emit, parse_args, read_plan, record

CODECS = {'none': None, 'gzip': 'gzip', 'snappy': 'snappy', 'lz4': 'lz4', 'zstd': 'zstd'}
TIMESTAMP_TYPES = {0: 'CreateTime', 1: 'LogAppendTime'}


def create(args):
    admin = KafkaAdminClient(bootstrap_servers=args.bootstrap, client_id='eddy-interop-kafka-python')
    try:
        admin.create_topics({args.topic: {'num_partitions': args.partitions, 'replication_factor': 1}},
                            wait_for_metadata=True)
    finally:
        admin.close()
    emit({'client': 'kafka-python', 'version': kafka.__version__, 'created': args.topic})


def produce(args):
    deadline = Deadline(args.timeout)
    produced = 0
    notes = []
    for codec, records in read_plan(args.plan):
        # Defaults kept on purpose: enable_idempotence=True, acks=-1, DefaultPartitioner (murmur2).
        producer = KafkaProducer(bootstrap_servers=args.bootstrap, client_id='eddy-interop-kafka-python',
                                 compression_type=CODECS[codec], linger_ms=5)
        futures = [producer.send(args.topic, key=k, value=v, headers=h) for k, v, h in records]
        producer.flush(timeout=max(1.0, deadline.left()))
        for f in futures:
            f.get(timeout=max(1.0, deadline.left()))
            produced += 1
        producer.close(timeout=10)
        notes.append('%s: %d records' % (codec, len(records)))
    emit({'client': 'kafka-python', 'version': kafka.__version__, 'produced': produced, 'notes': notes})


def consume(args):
    deadline = Deadline(args.timeout)
    consumer = KafkaConsumer(bootstrap_servers=args.bootstrap, client_id='eddy-interop-kafka-python',
                             group_id=None, enable_auto_commit=False, consumer_timeout_ms=1000)
    try:
        tps = [TopicPartition(args.topic, p) for p in range(args.partitions)]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        end = consumer.end_offsets(tps)
        out = []
        while any(consumer.position(tp) < end[tp] for tp in tps):
            deadline.check('positions %s, end offsets %s' % (
                {tp.partition: consumer.position(tp) for tp in tps}, {tp.partition: end[tp] for tp in tps}))
            for tp, recs in consumer.poll(timeout_ms=500).items():
                for r in recs:
                    out.append(record(r.partition, r.offset, r.key, r.value, r.headers, r.timestamp,
                                      TIMESTAMP_TYPES.get(r.timestamp_type)))
    finally:
        consumer.close()
    emit({'client': 'kafka-python', 'version': kafka.__version__, 'records': out})


def main():
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    args = parse_args(__doc__)
    {'create': create, 'produce': produce, 'consume': consume}[args.mode](args)


if __name__ == '__main__':
    main()
