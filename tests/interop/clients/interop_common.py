"""Shared bits of the Python interop clients: the plan file, the JSON summary, a deadline."""
import argparse
import json
import sys
import time


def parse_args(description):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument('mode', choices=['create', 'produce', 'consume'])
    ap.add_argument('--bootstrap', required=True)
    ap.add_argument('--topic', required=True)
    ap.add_argument('--partitions', type=int, default=3)
    ap.add_argument('--plan', help='plan file (produce): codec<TAB>keyHex<TAB>valueHex<TAB>hk:hv,...')
    ap.add_argument('--timeout', type=float, default=90.0, help='seconds allowed for the whole step')
    return ap.parse_args()


def read_plan(path):
    """[(codec, [(key, value, [(hkey, hval), ...]), ...]), ...] in produce order, one chunk per codec."""
    chunks = []
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            if not line:
                continue
            codec, k, v, h = line.split('\t')
            headers = []
            if h:
                for pair in h.split(','):
                    hk, hv = pair.split(':')
                    headers.append((bytes.fromhex(hk).decode('utf-8'), bytes.fromhex(hv)))
            rec = (bytes.fromhex(k), bytes.fromhex(v), headers)
            if not chunks or chunks[-1][0] != codec:
                chunks.append((codec, []))
            chunks[-1][1].append(rec)
    return chunks


def hexb(b):
    return None if b is None else bytes(b).hex()


def record(partition, offset, key, value, headers, ts, tt):
    return {
        'p': partition, 'o': offset, 'k': hexb(key), 'v': hexb(value),
        'h': [[k.encode('utf-8').hex(), hexb(v if v is not None else b'')] for k, v in (headers or [])],
        'ts': ts, 'tt': tt,
    }


def emit(summary):
    sys.stdout.write(json.dumps(summary, separators=(',', ':')) + '\n')
    sys.stdout.flush()


class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        return self.end - time.monotonic()

    def check(self, what):
        if self.left() <= 0:
            raise TimeoutError('timed out: ' + what)
