"""Retention, config changes and DeleteRecords with kafka-python 3.x (driven by tests/interop/retention.test.ts).

Usage: python retention_kafka_python.py MODE --bootstrap H:P --topic T [options]
  fill      create T (1 partition, --replication-factor, segment.bytes=1 MiB), produce --old records of --size bytes stamped an
            hour ago, then one fresh record; commit --commit for each --group
  alter     IncrementalAlterConfigs SET retention.ms=--retention-ms on T, then DescribeConfigs of T
  earliest  poll the earliest offset until it is above --above
  consume   a consumer of --group (committed offset below the log start) with auto_offset_reset=--reset:
            report where it resumed
  delete    DeleteRecords before --before
Prints one JSON summary line on stdout.
"""
import argparse
import logging
import sys
import time

import kafka
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
from kafka.structs import OffsetAndMetadata

from interop_common import Deadline, emit

CLIENT_ID = 'eddy-interop-retention'


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('mode', choices=['fill', 'alter', 'earliest', 'consume', 'delete'])
    ap.add_argument('--bootstrap', required=True)
    ap.add_argument('--topic', required=True)
    ap.add_argument('--replication-factor', type=int, default=1)
    ap.add_argument('--old', type=int, default=32)
    ap.add_argument('--size', type=int, default=100 * 1024)
    ap.add_argument('--group', action='append', default=[])
    ap.add_argument('--commit', type=int, default=0)
    ap.add_argument('--retention-ms', default='600000')
    ap.add_argument('--above', type=int, default=0)
    ap.add_argument('--reset', choices=['earliest', 'latest'])
    ap.add_argument('--before', type=int, default=-1)
    ap.add_argument('--timeout', type=float, default=60.0)
    return ap.parse_args()


def offsets(consumer, tp):
    return consumer.beginning_offsets([tp])[tp], consumer.end_offsets([tp])[tp]


def fill(args):
    admin = KafkaAdminClient(bootstrap_servers=args.bootstrap, client_id=CLIENT_ID)
    try:
        admin.create_topics([NewTopic(args.topic, 1, args.replication_factor, topic_configs={'segment.bytes': str(1024 * 1024)})])
    finally:
        admin.close()
    producer = KafkaProducer(bootstrap_servers=args.bootstrap, client_id=CLIENT_ID, acks='all', linger_ms=0)
    old = int(time.time() * 1000) - 3_600_000
    filler = b'x' * args.size
    futures = [producer.send(args.topic, value=filler, partition=0, timestamp_ms=old) for _ in range(args.old)]
    futures.append(producer.send(args.topic, value=b'fresh', partition=0))
    producer.flush(timeout=args.timeout)
    last = [f.get(timeout=args.timeout) for f in futures][-1].offset
    producer.close(timeout=10)
    tp = TopicPartition(args.topic, 0)
    for group in args.group:
        consumer = KafkaConsumer(bootstrap_servers=args.bootstrap, client_id=CLIENT_ID, group_id=group,
                                 enable_auto_commit=False)
        consumer.assign([tp])
        consumer.commit({tp: OffsetAndMetadata(args.commit, '', -1)})
        consumer.close()
    emit({'client': 'kafka-python', 'version': kafka.__version__, 'lastOffset': last})


def alter(args):
    admin = KafkaAdminClient(bootstrap_servers=args.bootstrap, client_id=CLIENT_ID)
    try:
        result = admin.alter_configs(
            [ConfigResource(ConfigResourceType.TOPIC, args.topic, configs={'retention.ms': args.retention_ms})],
            incremental=True)
        # 'modified': the configs that differ from their default, with where each value comes from.
        described = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, args.topic)])
    finally:
        admin.close()
    configs = {k: [v.get('value'), v.get('config_source')] for k, v in described['topic'][args.topic].items()}
    emit({'result': result['topic'][args.topic], 'configs': configs})


def earliest(args):
    deadline = Deadline(args.timeout)
    consumer = KafkaConsumer(bootstrap_servers=args.bootstrap, client_id=CLIENT_ID)
    tp = TopicPartition(args.topic, 0)
    seen = []
    try:
        while True:
            start, end = offsets(consumer, tp)
            if not seen or seen[-1] != start:
                seen.append(start)
            if start > args.above:
                break
            deadline.check('earliest offset of %s above %d (seen %s)' % (args.topic, args.above, seen))
            time.sleep(0.1)
    finally:
        consumer.close()
    emit({'earliest': start, 'end': end, 'seen': seen})


def consume(args):
    deadline = Deadline(args.timeout)
    tp = TopicPartition(args.topic, 0)
    consumer = KafkaConsumer(bootstrap_servers=args.bootstrap, client_id=CLIENT_ID, group_id=args.group[0],
                             enable_auto_commit=False, auto_offset_reset=args.reset)
    try:
        consumer.assign([tp])
        committed = consumer.committed(tp)
        start, end = offsets(consumer, tp)
        first = None
        # Resumes at the committed offset, gets OFFSET_OUT_OF_RANGE, resets by auto_offset_reset.
        while True:
            records = consumer.poll(timeout_ms=200).get(tp, [])
            if records:
                first = records[0].offset
                break
            position = consumer.position(tp)
            if args.reset == 'latest' and position is not None and position >= end:
                break
            deadline.check('a record or a reset (position %s, committed %s)' % (position, committed))
        emit({'committed': committed, 'earliest': start, 'end': end, 'first': first, 'position': consumer.position(tp)})
    finally:
        consumer.close()


def delete(args):
    admin = KafkaAdminClient(bootstrap_servers=args.bootstrap, client_id=CLIENT_ID)
    try:
        result = admin.delete_records({TopicPartition(args.topic, 0): args.before}, timeout_ms=30000)
    finally:
        admin.close()
    partition = result[TopicPartition(args.topic, 0)]
    emit({'lowWatermark': partition['low_watermark'], 'errorCode': partition['error_code']})


def main():
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    args = parse_args()
    {'fill': fill, 'alter': alter, 'earliest': earliest, 'consume': consume, 'delete': delete}[args.mode](args)


if __name__ == '__main__':
    main()
