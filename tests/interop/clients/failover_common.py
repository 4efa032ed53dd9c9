"""Shared bits of the failover clients (tests/interop/failover.test.ts).

Record layout, the same for every client:
  load mode:  key  <id>-<seq, 6 digits>            value <id>|<seq>|<filler>
  steps mode: key  <id>-<tag>-<i>                  value <id>|<tag>|<i>|<filler>

Steps mode is a small line protocol: the test writes commands on stdin, the client answers with one
JSON line each on stdout (nothing else goes to stdout):
  (start)         -> {"event":"ready","client":...,"version":...}
  send TAG N      -> {"event":"sent","tag":TAG,"acked":[[i,partition,offset],...],"failed":[[i,"ERROR_NAME"],...]}
  read            -> {"event":"read","records":[[partition,offset,key,value],...]}   (every partition, from 0 to its end)
  quit            -> {"event":"bye"} and exit 0
A command that cannot be carried out answers {"event":"error","message":...}.
"""
import argparse
import json
import sys
import time

FILLER = 'abcdefghijklmnopqrstuvwxyz0123456789'


def load_key(pid, seq):
    return ('%s-%06d' % (pid, seq)).encode()


def load_value(pid, seq):
    return ('%s|%d|%s' % (pid, seq, FILLER)).encode()


def step_key(pid, tag, i):
    return ('%s-%s-%d' % (pid, tag, i)).encode()


def step_value(pid, tag, i):
    return ('%s|%s|%d|%s' % (pid, tag, i, FILLER)).encode()


def parse_args(description, modes):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument('mode', choices=modes)
    ap.add_argument('--bootstrap', required=True)
    ap.add_argument('--topic', required=True)
    ap.add_argument('--id', default='p', help='producer id written into keys and values')
    ap.add_argument('--partitions', type=int, default=3)
    ap.add_argument('--partition', type=int, default=-1, help='steps: produce to this partition (-1: partitioner)')
    ap.add_argument('--count', type=int, default=100000, help='load: records to send')
    ap.add_argument('--rate', type=float, default=0, help='load: records per second at most (0: unpaced)')
    ap.add_argument('--progress', type=int, default=2000, help='load: print progress every N acks')
    ap.add_argument('--acks-file', help='load: where to write "seq partition offset" per acknowledged record')
    ap.add_argument('--out', help='dump: where to write "partition offset key value" per record')
    ap.add_argument('--config', action='append', default=[], help='producer property NAME=VALUE (repeatable)')
    ap.add_argument('--timeout', type=float, default=90.0, help='seconds allowed for the whole run / each command')
    return ap.parse_args()


def extra_config(args):
    out = {}
    for kv in args.config:
        k, _, v = kv.partition('=')
        out[k] = v
    return out


def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(',', ':')) + '\n')
    sys.stdout.flush()


class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        return self.end - time.monotonic()

    def check(self, what):
        if self.left() <= 0:
            raise TimeoutError('timed out: ' + what)


class Pacer:
    """At most `rate` records per second from start (0: no limit)."""

    def __init__(self, rate):
        self.rate = rate
        self.start = time.monotonic()

    def wait(self, sent):
        if self.rate <= 0:
            return
        due = self.start + sent / self.rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def steps_loop(client, args):
    """Run the steps protocol with `client`, which has send(tag, n, deadline), read(deadline), close()."""
    emit({'event': 'ready', 'client': client.name, 'version': client.version})
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            if words[0] == 'send':
                acked, failed = client.send(words[1], int(words[2]), Deadline(args.timeout))
                emit({'event': 'sent', 'tag': words[1], 'acked': acked, 'failed': failed})
            elif words[0] == 'read':
                emit({'event': 'read', 'records': client.read(Deadline(args.timeout))})
            elif words[0] == 'quit':
                break
            else:
                emit({'event': 'error', 'message': 'unknown command %r' % line.strip()})
        except Exception as e:  # report and keep serving: the test decides what an error means
            emit({'event': 'error', 'message': '%s: %s' % (type(e).__name__, e)})
    client.close()
    emit({'event': 'bye'})
