#!/usr/bin/env python3
"""An RSB socket-transport bus server written from the wire spec (specs/rsb.md sections 1-2),
standard library only. It stands for a foreign (e.g. rsb-python) bus server in front of actorwire's
socket bus clients. Usage:

    rsb_bus_server.py [port] [max-seconds]

It listens on 127.0.0.1 (port 0 picks one) and prints {"listening": <port>}. For each client it
accepts, it writes the 4 zero bytes of the handshake in one write, then reads frames (uint32
little-endian length, then a protobuf Notification) and forwards each to every other client, never
back to the one it came from, prefix and body in one write. It holds no participants of its own, so
there is no local delivery. Before forwarding it checks what receivers depend on: event_id with a
16-byte sender_id and a sequence_number, meta_data with create_time and send_time, and a valid
ASCII scope with leading and trailing '/'; a notification without them drops its connection, as
rsb-python does. The notification is forwarded as it was received (rsb-python re-serialises the
parsed message: the same fields, the same content).

One JSON line per event on stdout, in the order received: the client it came from, its scope,
method, wire schema, sequence number and how many clients it goes to; and a line per client that
comes, leaves or is dropped (a failed write drops that client; the others carry on). It ends on SIGTERM or SIGINT (exit 0, closing every client), or by itself after
`max-seconds` (default 60) or 100 clients (exit 2).
"""
import json
import os
import re
import signal
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rsb_peer  # noqa: E402  (the protobuf helpers of the client peer)

MAX_CLIENTS = 100
SCOPE = re.compile(r'^/([-_a-zA-Z0-9]+/)*$')

lock = threading.Lock()
clients = {}  # id -> (socket, send lock)
stop = threading.Event()
reason = []


def out(obj):
    with lock:
        print(json.dumps(obj), flush=True)


def recv_exactly(sock, n):
    data = b''
    while len(data) < n:
        part = sock.recv(n - len(data))
        if part == b'':
            raise EOFError('connection closed')
        data += part
    return data


def check(body):
    """Decodes the notification and checks its required fields; raises ValueError when one is missing."""
    fields = rsb_peer.parse(body)
    if 108 not in fields:
        raise ValueError('no event_id')
    event_id = rsb_peer.parse(fields[108][0])
    if len(event_id.get(1, [b''])[0]) != 16 or 2 not in event_id:
        raise ValueError('event_id without a 16-byte sender_id and a sequence_number')
    meta = rsb_peer.parse(fields[15][0]) if 15 in fields else {}
    if 2 not in meta or 3 not in meta:
        raise ValueError('meta_data without create_time and send_time')
    if 6 not in fields:
        raise ValueError('no scope')
    event = rsb_peer.decode(body)  # ASCII decoding raises UnicodeDecodeError, a ValueError
    if not SCOPE.match(event['scope']):
        raise ValueError('invalid scope %r' % event['scope'])
    return event


def forward(origin, frame, event):
    """Writes the frame to every client but its origin; the event's line is printed before, so that
    the lines keep the order in which the events were received."""
    with lock:
        others = [(cid, entry) for cid, entry in clients.items() if cid != origin]
        print(json.dumps({'from': origin, 'scope': event['scope'], 'method': event['method'], 'schema': event['schema'],
                          'seq': event['id'][1], 'to': len(others)}), flush=True)
    for cid, (sock, send_lock) in others:
        try:
            with send_lock:
                sock.sendall(frame)
        except OSError:
            drop(cid, 'send failed')


def drop(cid, why):
    with lock:
        entry = clients.pop(cid, None)
    if entry is not None:
        entry[0].close()
        out({'dropped': cid, 'why': why})


def serve_client(cid, sock):
    try:
        while not stop.is_set():
            header = recv_exactly(sock, 4)
            (length,) = struct.unpack('<I', header)
            body = recv_exactly(sock, length)
            try:
                event = check(body)
            except (ValueError, KeyError, IndexError) as err:
                drop(cid, 'bad notification: %s' % err)
                return
            forward(cid, header + body, event)
    except EOFError:
        # Passive orderly shutdown: half-close our side too, then close.
        with lock:
            entry = clients.pop(cid, None)
        if entry is not None:
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            sock.close()
            out({'left': cid})
    except OSError as err:
        drop(cid, str(err))


def accept_clients(listener):
    for cid in range(1, MAX_CLIENTS + 1):
        try:
            sock, _ = listener.accept()
        except OSError:
            return  # the listener was closed
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(b'\0\0\0\0')  # the handshake, in one write, before the client may count on the bus
        with lock:
            clients[cid] = (sock, threading.Lock())
        out({'joined': cid})
        threading.Thread(target=serve_client, args=(cid, sock), daemon=True).start()
    reason.append('too many clients')
    stop.set()


def on_signal(signum, frame):
    reason.append('signal')
    stop.set()


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    max_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('127.0.0.1', port))
    listener.listen(16)
    out({'listening': listener.getsockname()[1]})
    threading.Thread(target=accept_clients, args=(listener,), daemon=True).start()
    if not stop.wait(max_seconds):
        reason.append('deadline')
    listener.close()
    with lock:
        leaving = list(clients.values())
        clients.clear()
    for sock, _ in leaving:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()
    out({'stopped': reason[0]})
    sys.exit(0 if reason[0] == 'signal' else 2)


if __name__ == '__main__':
    main()
