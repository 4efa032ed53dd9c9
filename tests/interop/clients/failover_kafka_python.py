"""kafka-python 3.x for the failover tests (tests/interop/failover.test.ts): the steps protocol of
failover_common.py with one KafkaProducer for the whole run (defaults: acks=all, idempotence on),
producing to --partition; `read` uses a fresh KafkaConsumer with assign + seek_to_beginning.

Usage: python failover_kafka_python.py steps --bootstrap H:P --topic T --partition P --id ID
"""
import logging
import sys

import kafka
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from failover_common import emit, extra_config, parse_args, step_key, step_value, steps_loop

CLIENT_ID = 'eddy-failover-kafka-python'


class StepsClient:
    name = 'kafka-python'
    version = kafka.__version__

    def __init__(self, args):
        self.args = args
        conf = {'bootstrap_servers': args.bootstrap, 'client_id': CLIENT_ID, 'linger_ms': 5}
        conf.update(extra_config(args))
        self.producer = KafkaProducer(**conf)

    def send(self, tag, n, deadline):
        kw = {'partition': self.args.partition} if self.args.partition >= 0 else {}
        futures = [self.producer.send(self.args.topic, key=step_key(self.args.id, tag, i),
                                      value=step_value(self.args.id, tag, i), **kw) for i in range(n)]
        self.producer.flush(timeout=max(0.1, deadline.left()))
        acked, failed = [], []
        for i, f in enumerate(futures):
            if not f.is_done:
                failed.append([i, 'PENDING'])
            elif f.succeeded():
                md = f.value
                acked.append([i, md.partition, md.offset])
            else:
                failed.append([i, type(f.exception).__name__])
        return acked, failed

    def read(self, deadline):
        consumer = KafkaConsumer(bootstrap_servers=self.args.bootstrap, client_id=CLIENT_ID, group_id=None,
                                 enable_auto_commit=False)
        out = []
        try:
            tps = [TopicPartition(self.args.topic, p) for p in range(self.args.partitions)]
            consumer.assign(tps)
            consumer.seek_to_beginning(*tps)
            end = consumer.end_offsets(tps)
            while any(consumer.position(tp) < end[tp] for tp in tps):
                deadline.check('positions %s, end offsets %s' % (
                    {tp.partition: consumer.position(tp) for tp in tps}, {tp.partition: end[tp] for tp in tps}))
                for recs in consumer.poll(timeout_ms=500).values():
                    for r in recs:
                        out.append([r.partition, r.offset, r.key.decode(), r.value.decode()])
        finally:
            consumer.close()
        return out

    def close(self):
        self.producer.close(timeout=5)


def main():
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    args = parse_args(__doc__, ['steps'])
    steps_loop(StepsClient(args), args)


if __name__ == '__main__':
    main()
