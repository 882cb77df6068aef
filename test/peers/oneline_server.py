"""A socket-oneline server that behaves like the original Python server, written from the spec
(specs/oneline.md sections 2-4), with the sample server's callback. It stands for a foreign server
in front of actorwire's clients. Standard library only. Usage:

    python3 oneline_server.py [port] [max-seconds]

It binds 127.0.0.1 (port 0 picks one) with SO_REUSEADDR and listen(0), prints
`{"listening": <port>}`, and serves one client at a time: it accepts only when no client is being
served, and reads the client one byte at a time up to 0x0A. Each byte is decoded on its own: 0x00-0x7F is kept as it is
(CR and NUL included), 0x80-0xFF is dropped and flags the line invalid. Then, after the drop:

    ping        answered pong
    disconnect  the connection is shut down and closed (no reply); the next client is accepted
    shutdown    the same, then the server ends (exit 0)
    anything    goes to the sample callback: cmd01 -> ack, anything else -> nak - unknown cmd

One JSON line per line read goes to stdout: the command as the callback sees it and its flag.
Unlike the original, which spins on an EOF without `disconnect` and stops on a reset, it reports
either and takes the next client, and it gives up after `max-seconds` (default 60) or 100 clients
(exit 2).
"""
import json
import socket
import sys
import time

MAX_CLIENTS = 100


def out(obj):
    print(json.dumps(obj), flush=True)


def sample_callback(conn, cmd, is_invalid):
    out({'callback': cmd, 'invalid': is_invalid})
    send(conn, 'ack' if cmd == 'cmd01' else 'nak - unknown cmd')


def send(conn, rsp):
    conn.sendall(rsp.encode() + b'\n')


def read_line(conn):
    """Reads up to 0x0A, byte by byte; returns (cmd, is_invalid), or None on EOF."""
    cmd = ''
    is_invalid = False
    while True:
        byte = conn.recv(1)
        if byte == b'':
            return None
        if byte == b'\n':
            return cmd, is_invalid
        try:
            cmd += byte.decode()
        except UnicodeDecodeError:
            is_invalid = True


def serve(conn):
    """Serves one client; returns True when it asked for a shutdown."""
    try:
        while True:
            line = read_line(conn)
            if line is None:
                out({'eof': 'the client left without disconnect'})
                conn.close()
                return False
            cmd, is_invalid = line
            if cmd == 'ping':
                out({'builtin': 'ping'})
                send(conn, 'pong')
            elif cmd in ('disconnect', 'shutdown'):
                out({'builtin': cmd})
                conn.shutdown(socket.SHUT_RDWR)
                conn.close()
                return cmd == 'shutdown'
            else:
                sample_callback(conn, cmd, is_invalid)
    except (ConnectionResetError, BrokenPipeError):
        out({'reset': 'the client reset the connection'})
        conn.close()
        return False


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    max_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    deadline = time.time() + max_seconds
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('127.0.0.1', port))
    listener.listen(0)
    out({'listening': listener.getsockname()[1]})
    try:
        for _ in range(MAX_CLIENTS):
            listener.settimeout(max(0.01, deadline - time.time()))
            conn, _ = listener.accept()
            # Accepted sockets are blocking, as in the original; the deadline still bounds them.
            conn.settimeout(max(0.01, deadline - time.time()))
            out({'accepted': True})
            if serve(conn):
                return
        out({'stopped': 'too many clients'})
        sys.exit(2)
    except socket.timeout:
        out({'stopped': 'deadline'})
        sys.exit(2)
    finally:
        listener.close()


if __name__ == '__main__':
    main()
