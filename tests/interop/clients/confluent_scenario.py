"""The interop scenario with confluent-kafka 2.x (librdkafka): create the topic, produce the plan, read it back.

Usage: python confluent_scenario.py create|produce|consume --bootstrap H:P --topic T [--partitions N] [--plan FILE]
Prints one JSON summary line on stdout.
"""
import uuid

import confluent_kafka
from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from interop_common import Deadline, emit, parse_args, read_plan, record

TIMESTAMP_TYPES = {confluent_kafka.TIMESTAMP_CREATE_TIME: 'CreateTime',
                   confluent_kafka.TIMESTAMP_LOG_APPEND_TIME: 'LogAppendTime'}


def version():
    return '%s (librdkafka %s)' % (confluent_kafka.version()[0], confluent_kafka.libversion()[0])


def create(args):
    admin = AdminClient({'bootstrap.servers': args.bootstrap, 'client.id': 'eddy-interop-confluent'})
    futures = admin.create_topics([NewTopic(args.topic, num_partitions=args.partitions, replication_factor=1)],
                                  operation_timeout=30)
    for f in futures.values():
        f.result(timeout=60)
    emit({'client': 'confluent-kafka', 'version': version(), 'created': args.topic})


def produce(args):
    deadline = Deadline(args.timeout)
    produced = 0
    errors = []
    notes = []

    def on_delivery(err, msg):
        nonlocal produced
        if err is not None:
            errors.append(str(err))
        else:
            produced += 1

    for codec, records in read_plan(args.plan):
        producer = Producer({
            'bootstrap.servers': args.bootstrap,
            'client.id': 'eddy-interop-confluent',
            'compression.type': codec,
            # librdkafka's default is consistent_random (CRC32); murmur2_random matches Java for keyed records.
            'partitioner': 'murmur2_random',
            'linger.ms': 5,
            'acks': 'all',
        })
        for k, v, h in records:
            while True:
                try:
                    producer.produce(args.topic, key=k, value=v, headers=h, on_delivery=on_delivery)
                    break
                except BufferError:
                    producer.poll(0.1)
                    deadline.check('local queue full')
            producer.poll(0)
        left = producer.flush(max(1.0, deadline.left()))
        if left:
            errors.append('%d messages still in queue after flush (%s)' % (left, codec))
        notes.append('%s: %d records' % (codec, len(records)))
    if errors:
        raise SystemExit('delivery failed: %s' % '; '.join(errors[:5]))
    emit({'client': 'confluent-kafka', 'version': version(), 'produced': produced, 'notes': notes})


def consume(args):
    deadline = Deadline(args.timeout)
    consumer = Consumer({
        'bootstrap.servers': args.bootstrap,
        'client.id': 'eddy-interop-confluent',
        'group.id': 'eddy-interop-' + uuid.uuid4().hex,  # required by the API; assign() never joins it
        'enable.auto.commit': False,
        'enable.partition.eof': True,
        'auto.offset.reset': 'earliest',
    })
    out = []
    try:
        tps = [TopicPartition(args.topic, p, OFFSET_BEGINNING) for p in range(args.partitions)]
        end = {}
        for tp in tps:
            low, high = consumer.get_watermark_offsets(TopicPartition(args.topic, tp.partition), timeout=30)
            end[tp.partition] = high
        consumer.assign(tps)
        pos = {p: 0 for p in end}
        while any(pos[p] < end[p] for p in end):
            deadline.check('positions %s, end offsets %s' % (pos, end))
            for msg in consumer.consume(num_messages=1000, timeout=0.5):
                err = msg.error()
                if err is not None:
                    if err.code() == KafkaError._PARTITION_EOF:
                        continue
                    raise KafkaException(err)
                ttype, ts = msg.timestamp()
                out.append(record(msg.partition(), msg.offset(), msg.key(), msg.value(), msg.headers(), ts,
                                  TIMESTAMP_TYPES.get(ttype)))
                pos[msg.partition()] = msg.offset() + 1
    finally:
        consumer.close()
    emit({'client': 'confluent-kafka', 'version': version(), 'records': out})


def main():
    args = parse_args(__doc__)
    {'create': create, 'produce': produce, 'consume': consume}[args.mode](args)


if __name__ == '__main__':
    main()
