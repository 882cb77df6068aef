#!/usr/bin/env python3
"""A byte-level RSB socket-transport client written from the wire spec, standard library only.

It stands for a foreign (e.g. rsb-python) process on an actorwire bus. Usage:
    rsb_peer.py <host> <port>
It prints one JSON line per step on stdout and, in order:
  1. reads the server's 4-byte handshake (must be zero) and prints {"ready": ...};
  2. publishes "hello from python" (utf-8-string, user info lang=py) on /py/out/;
  3. calls method echo of the server /ts/rpc (REQUEST on /ts/rpc/echo/) with "ping" and waits
     for the REPLY whose first cause is its request id;
  4. serves method upper on /py/rpc/upper/: answers each REQUEST with the upper-cased text,
     causes = [request id];
  5. prints every other event it sees, and leaves (half-close) on an event on /ts/done/.
"""
import json
import socket
import struct
import sys
import time
import uuid


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(number, wire_type, payload):
    key = varint((number << 3) | wire_type)
    if wire_type == 0:
        return key + varint(payload)
    return key + varint(len(payload)) + payload


def event_id(sender, seq):
    return field(1, 2, sender) + field(2, 0, seq)


def now_us():
    return int(time.time() * 1e6)


def notification(sender, seq, scope, schema, data, method=None, causes=(), infos=()):
    meta = field(2, 0, now_us()) + field(3, 0, now_us())
    for key, value in infos:
        meta += field(7, 2, field(1, 2, key.encode('ascii')) + field(2, 2, value.encode('ascii')))
    body = field(6, 2, scope.encode('ascii')) + field(7, 2, schema.encode('ascii')) + field(9, 2, data)
    for cause in causes:
        body += field(13, 2, event_id(*cause))
    if method is not None:
        body += field(14, 2, method.encode('ascii'))
    body += field(15, 2, meta) + field(108, 2, event_id(sender, seq))
    return body


def read_varint(buf, pos):
    shift = result = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, pos


def parse(buf):
    """Decodes a message into {field number: [values]} (varints as ints, others as bytes)."""
    fields = {}
    pos = 0
    while pos < len(buf):
        key, pos = read_varint(buf, pos)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, pos = read_varint(buf, pos)
        elif wire_type == 2:
            length, pos = read_varint(buf, pos)
            value = buf[pos:pos + length]
            pos += length
        elif wire_type == 1:
            value = buf[pos:pos + 8]
            pos += 8
        elif wire_type == 5:
            value = buf[pos:pos + 4]
            pos += 4
        else:
            raise ValueError('wire type %d' % wire_type)
        fields.setdefault(number, []).append(value)
    return fields


def parse_event_id(buf):
    f = parse(buf)
    return bytes(f[1][0]), f.get(2, [0])[0]


def decode(body):
    f = parse(body)
    meta = parse(f[15][0]) if 15 in f else {}
    infos = {}
    for info in meta.get(7, []):
        pair = parse(info)
        infos[bytes(pair[1][0]).decode('ascii')] = bytes(pair[2][0]).decode('ascii')
    return {
        'scope': bytes(f[6][0]).decode('ascii'),
        'schema': bytes(f.get(7, [b''])[0]).decode('ascii'),
        'data': bytes(f.get(9, [b''])[0]),
        'method': bytes(f[14][0]).decode('ascii') if 14 in f else None,
        'causes': [parse_event_id(c) for c in f.get(13, [])],
        'id': parse_event_id(f[108][0]),
        'infos': infos,
        'create': meta.get(2, [None])[0],
        'send': meta.get(3, [None])[0],
    }


class Peer:
    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port))
        self.sock.settimeout(60)  # a peer left waiting by a failed test still ends by itself
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        handshake = self.recv_exactly(4)
        if handshake != b'\0\0\0\0':
            raise RuntimeError('Incorrect handshake')
        self.informer = uuid.uuid4().bytes
        self.seq = 0

    def recv_exactly(self, n):
        data = self.sock.recv(n, socket.MSG_WAITALL)
        if len(data) != n:
            raise EOFError('short read')
        return data

    def read(self):
        (length,) = struct.unpack('<I', self.recv_exactly(4))
        return decode(self.recv_exactly(length))

    def send(self, body):
        self.sock.sendall(struct.pack('<I', len(body)) + body)  # prefix and body in one write

    def publish(self, scope, schema, data, **kwargs):
        seq = self.seq
        self.seq += 1
        self.send(notification(self.informer, seq, scope, schema, data, **kwargs))
        return (self.informer, seq)


def out(obj):
    print(json.dumps(obj), flush=True)


def main():
    peer = Peer(sys.argv[1], int(sys.argv[2]))
    out({'ready': True})
    peer.publish('/py/out/', 'utf-8-string', b'hello from python', infos=[('lang', 'py')])
    request = peer.publish('/ts/rpc/echo/', 'utf-8-string', b'ping', method='REQUEST')
    while True:
        event = peer.read()
        if event['method'] == 'REPLY' and event['causes'][:1] == [request]:
            out({'reply': event['data'].decode('utf-8'), 'schema': event['schema'], 'scope': event['scope'], 'error': 'rsb:error?' in event['infos']})
            break
    while True:
        event = peer.read()
        if event['scope'] == '/py/rpc/upper/' and event['method'] == 'REQUEST':
            text = event['data'].decode('utf-8')
            peer.publish('/py/rpc/upper/', 'utf-8-string', text.upper().encode('utf-8'), method='REPLY', causes=[event['id']])
            out({'served': text})
        elif event['scope'].startswith('/ts/done/'):
            out({'done': True})
            break
        elif event['method'] is None:
            out({'event': event['scope'], 'schema': event['schema'], 'data': event['data'].hex(), 'seq': event['id'][1],
                 'sender': str(uuid.UUID(bytes=event['id'][0])), 'create': event['create'], 'send': event['send']})
    peer.sock.shutdown(socket.SHUT_WR)
    while peer.sock.recv(65536):
        pass
    peer.sock.close()


if __name__ == '__main__':
    main()
