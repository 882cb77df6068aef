"""An OBE server written at byte level from the spec (specs/obe.md section 4), in the manner of the
original optbayesexpt `OBE_Server`: it stands for a foreign server in front of actorwire's clients.

Standard library only. Usage:

    python3 obe_server.py [port] [max-seconds]

It binds 127.0.0.1 (port 0 picks one), prints `SERVER READY <port>`, then serves as the original
does: each receive accepts a new connection and reads one framed message from it (10 ASCII digits,
zero-padded, then that many bytes of JSON); the reply goes back on that connection, which is closed
only when the next one is accepted (one command per connection). The command is matched by the
original's substring test, in its order. Instead of a particle filter it keeps a toy state with
simple, deterministic numbers, so that a test knows every reply in advance:

    newrun   settings = linspace(lolim, hilim, steps) (default 1.0, 2.0, 3); data count n = 0;
             steps must be an int, as NumPy's linspace wants it (a float ends the server)
    getset   [settings]                       getcon  []
    getpar   getpdf: [[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]]          getwgt  [0.25, 0.25, 0.5]
    optset   [settings[steps // 2]]
    goodset  [settings[(n + pickiness) % steps]] (pickiness 0 when absent or null)
    newdat   needs x, y and s (a missing key ends the server, as the original crashes); n += 1
    getmean  [2.0 + n, 0.5]                   getstd  [1.0 / (n + 1), 0.25]
    getcov   [[1.0, 0.5], [0.5, 2.0]]         ready   "OK"
    done     "OK", then the server ends
    others   no reply at all (the original's quirk Q10)

One JSON line per request goes to stdout: the exact bytes received (header and body) and the
command matched. Without `done` it gives up after `max-seconds` (default 60) or 1000 connections,
and exits 2.
"""
import json
import socket
import sys
import time

ORDER = ['getset', 'getpar', 'getcon', 'getwgt', 'newrun', 'optset', 'goodset', 'newdat', 'getpdf',
         'getmean', 'getstd', 'getcov', 'ready', 'done']
MAX_CONNECTIONS = 1000


class Socket:
    """The original's framing: a listening socket whose receive() takes the next connection."""

    def __init__(self, port):
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.bind(('127.0.0.1', port))
        self.server.listen(1)
        self.connection = None

    def recv_exactly(self, n, chunk):
        data = b''
        while len(data) < n:
            part = self.connection.recv(min(chunk, n - len(data)))
            if part == b'':
                raise RuntimeError('socket connection broken')
            data += part
        return data

    def receive(self, deadline):
        self.server.settimeout(max(0.01, deadline - time.time()))
        connection, _ = self.server.accept()
        # The previous connection is dropped here, as CPython does when the reference goes.
        if self.connection is not None:
            self.connection.close()
        self.connection = connection
        self.connection.settimeout(max(0.01, deadline - time.time()))
        header = self.recv_exactly(10, 10)
        body = self.recv_exactly(int(header), 1024)
        return header, body

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.connection.sendall('{:0>10d}'.format(len(body)).encode() + body)

    def close(self):
        if self.connection is not None:
            self.connection.close()
        self.server.close()


def linspace(low, high, steps):
    # As NumPy's linspace: the count must be an int (a JSON 200.0 is refused), and ends the server.
    if not isinstance(steps, int):
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(steps).__name__)
    if steps == 1:
        return [float(low)]
    return [low + (high - low) * i / (steps - 1) for i in range(steps)]


class ToyServer:
    def __init__(self, port):
        self.socket = Socket(port)
        self.settings = linspace(1.0, 2.0, 3)
        self.n = 0

    def newrun(self, message):
        self.settings = linspace(message['lolim'], message['hilim'], message['steps'])
        self.n = 0

    def matched(self, command):
        # `'name' in command`: a substring of a string, or an element of a list.
        for name in ORDER:
            if name in command:
                return name
        return None

    def answer(self, name, message):
        steps = len(self.settings)
        if name == 'getset':
            return [self.settings]
        if name in ('getpar', 'getpdf'):
            return [[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]]
        if name == 'getcon':
            return []
        if name == 'getwgt':
            return [0.25, 0.25, 0.5]
        if name == 'newrun':
            if 'lolim' in message:
                self.newrun(message)
            return 'OK'
        if name == 'optset':
            return [self.settings[steps // 2]]
        if name == 'goodset':
            pickiness = message.get('pickiness') or 0
            return [self.settings[(self.n + int(pickiness)) % steps]]
        if name == 'newdat':
            message['x'], message['y'], message['s']  # a missing key raises KeyError, as the original
            self.n += 1
            return 'OK'
        if name == 'getmean':
            return [2.0 + self.n, 0.5]
        if name == 'getstd':
            return [1.0 / (self.n + 1), 0.25]
        if name == 'getcov':
            return [[1.0, 0.5], [0.5, 2.0]]
        return 'OK'  # ready, done

    def run(self, max_seconds):
        print('SERVER READY %d' % self.socket.server.getsockname()[1], flush=True)
        deadline = time.time() + max_seconds
        try:
            for _ in range(MAX_CONNECTIONS):
                header, body = self.socket.receive(deadline)
                message = json.loads(body.decode())
                name = self.matched(message['command'])
                print(json.dumps({'received': (header + body).decode(), 'matched': name}), flush=True)
                if name is None:
                    continue
                self.socket.send(self.answer(name, message))
                if name == 'done':
                    return
            print(json.dumps({'stopped': 'too many connections'}), flush=True)
            sys.exit(2)
        except socket.timeout:
            print(json.dumps({'stopped': 'deadline'}), flush=True)
            sys.exit(2)
        finally:
            self.socket.close()


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    max_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    ToyServer(port).run(max_seconds)


if __name__ == '__main__':
    main()
