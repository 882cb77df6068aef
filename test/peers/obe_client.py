"""An OBE client written at byte level from the spec (specs/obe.md section 4), doing what the
original optbayesexpt `Socket.tcpcmd` client and the server demo's instrument controller do.

Standard library only. Usage:

    python3 obe_client.py <port> demo <steps> <seed>   # newrun + steps x (goodset, newdat, getmean, getstd)
    python3 obe_client.py <port> raw <hex-bytes>       # one connection, send bytes, print the reply bytes
    python3 obe_client.py <port> cmd '<json>'          # one tcpcmd, print json.dumps(reply)
    python3 obe_client.py <port> done

Each connection carries one command and is closed after the reply, as tcpcmd does.
"""
import json
import math
import random
import socket
import sys


def recv_exactly(sock, n):
    data = b''
    while len(data) < n:
        chunk = sock.recv(min(1024, n - len(data)))
        if chunk == b'':
            raise RuntimeError('socket connection broken')
        data += chunk
    return data


def send_message(sock, obj):
    body = json.dumps(obj).encode()
    sock.sendall('{:0>10d}'.format(len(body)).encode() + body)


def receive_message(sock):
    header = recv_exactly(sock, 10)
    return json.loads(recv_exactly(sock, int(header)).decode())


def tcpcmd(port, obj):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(20)
    sock.connect(('127.0.0.1', port))
    send_message(sock, obj)
    reply = receive_message(sock)
    sock.close()
    return reply


def lorentzian(f, f0, a, lw):
    return 1 - a / (((f - f0) * 2 / lw) ** 2 + 1)


def demo(port, steps, seed):
    rng = random.Random(seed)
    f0_true, a_true, lw_true, sigma = rng.uniform(2.1, 2.9), 0.02, 0.04, 0.005
    assert tcpcmd(port, {'command': 'ready'}) == 'OK'
    assert tcpcmd(port, {'command': 'newrun', 'lolim': 2.0, 'hilim': 3.0, 'steps': 200}) == 'OK'
    for _ in range(steps):
        f, = tcpcmd(port, {'command': 'goodset', 'pickiness': 6})
        y = lorentzian(f, f0_true, a_true, lw_true) + rng.gauss(0, sigma)
        assert tcpcmd(port, {'command': 'newdat', 'x': (f,), 'y': y, 's': sigma}) == 'OK'
        mean = tcpcmd(port, {'command': 'getmean'})
        std = tcpcmd(port, {'command': 'getstd'})
        assert len(mean) == 3 and len(std) == 3
    cov = tcpcmd(port, {'command': 'getcov'})
    assert len(cov) == 3 and all(len(row) == 3 for row in cov)
    print(json.dumps({'f0_true': f0_true, 'f0_est': mean[0], 'f0_std': std[0]}))


def raw(port, hexbytes):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(20)
    sock.connect(('127.0.0.1', port))
    sock.sendall(bytes.fromhex(hexbytes))
    header = recv_exactly(sock, 10)
    body = recv_exactly(sock, int(header))
    sock.close()
    print((header + body).decode())


def main():
    port, mode = int(sys.argv[1]), sys.argv[2]
    if mode == 'demo':
        demo(port, int(sys.argv[3]), int(sys.argv[4]))
    elif mode == 'raw':
        raw(port, sys.argv[3])
    elif mode == 'cmd':
        print(json.dumps(tcpcmd(port, json.loads(sys.argv[3]))))
    elif mode == 'done':
        print(json.dumps(tcpcmd(port, {'command': 'done'})))


if __name__ == '__main__':
    main()
