"""Drives an OBE server the way the original instrument controller does (spec section 7.2), with
the original client's connection-per-command `tcpcmd`, and times every command with
time.perf_counter. Standard library only. Prints one JSON object with the samples (ms / s).

    python3 tcpcmd_driver.py <port> <grid> <runs> <steps> <ready> <seed> [<other ports>]

runs = 0 only measures `ready`. A warm-up run (not recorded) precedes the measured runs.
<other ports> (comma-separated) are servers measured at the same moments, so that the machine's
drift hits them and <port> alike: `ready` round trips rotate over all ports connection by
connection (others_ready[i] holds other port i's).
"""
import json
import random
import socket
import sys
import time


def recv_exactly(sock, n):
    data = b''
    while len(data) < n:
        chunk = sock.recv(min(1024, n - len(data)))
        if chunk == b'':
            raise RuntimeError('socket connection broken')
        data += chunk
    return data


def tcpcmd(port, obj):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect(('127.0.0.1', port))
    body = json.dumps(obj).encode()
    sock.sendall('{:0>10d}'.format(len(body)).encode() + body)
    header = recv_exactly(sock, 10)
    reply = json.loads(recv_exactly(sock, int(header)).decode())
    sock.close()
    return reply


def timed(samples, port, obj):
    t = time.perf_counter()
    reply = tcpcmd(port, obj)
    samples.append((time.perf_counter() - t) * 1000)
    return reply


def main():
    port, grid, runs, steps, ready, seed = (int(a) for a in sys.argv[1:7])
    others = [int(p) for p in sys.argv[7].split(',')] if len(sys.argv) > 7 and sys.argv[7] else []
    rng = random.Random(seed)
    out = {k: [] for k in ('run_wall', 'step', 'goodset', 'newdat', 'getmean', 'getstd', 'newrun', 'ready', 'error_mhz')}
    out['others_ready'] = [[] for _ in others]
    for run in range(-1 if runs > 0 else 0, runs):
        keep = run >= 0
        sink = (lambda k: out[k]) if keep else (lambda k: [])
        f0 = rng.uniform(2.1, 2.9)
        timed(sink('newrun'), port, {'command': 'newrun', 'lolim': 2.0, 'hilim': 3.0, 'steps': grid})
        start = time.perf_counter()
        for _ in range(steps):
            t = time.perf_counter()
            f, = timed(sink('goodset'), port, {'command': 'goodset', 'pickiness': 6})
            y = 1 - 0.02 / (((f - f0) * 2 / 0.04) ** 2 + 1) + rng.gauss(0, 0.005)
            timed(sink('newdat'), port, {'command': 'newdat', 'x': (f,), 'y': y, 's': 0.005})
            mean = timed(sink('getmean'), port, {'command': 'getmean'})
            timed(sink('getstd'), port, {'command': 'getstd'})
            sink('step').append((time.perf_counter() - t) * 1000)
        if keep:
            out['run_wall'].append(time.perf_counter() - start)
            out['error_mhz'].append(abs(mean[0] - f0) * 1000)
    targets = [(port, out['ready'])] + list(zip(others, out['others_ready']))
    for n in range(ready):
        for k in range(len(targets)):
            target, samples = targets[(n + k) % len(targets)]
            timed(samples, target, {'command': 'ready'})
    print(json.dumps(out))


if __name__ == '__main__':
    main()
