"""A socket-oneline client that behaves like the original Python client, written from the spec.

It reads one byte at a time with a 0.5 s socket timeout, gives up on a line after a deadline, and
strips every response with str.strip(), exactly as the original does. Usage:

    python3 oneline_client.py <port> <command>...

For each command it prints `<command> -> <response>`; `connect` does the ping/pong check and
prints True/False; `disconnect` and `shutdown` send the word and close, as the original does.
"""
import socket
import sys


class Client:
    def __init__(self, port):
        self.port = port
        self.sock = None

    def connect(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.connect(("127.0.0.1", self.port))
        self.sock.settimeout(0.5)
        self.send("ping")
        return self.recv() == "pong"

    def send(self, cmd):
        self.sock.sendall(f"{cmd}\n".encode())

    def recv(self, timeout=3.0):
        import time

        deadline = time.time() + timeout
        data = b""
        while time.time() < deadline:
            try:
                byte = self.sock.recv(1)
            except socket.timeout:
                continue
            if byte == b"\n":
                break
            data += byte
        return data.decode().strip()

    def leave(self, word):
        self.send(word)
        self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self.sock = None


def main():
    client = Client(int(sys.argv[1]))
    for command in sys.argv[2:]:
        if command == "connect":
            print(f"connect -> {client.connect()}", flush=True)
        elif command in ("disconnect", "shutdown"):
            client.leave(command)
            print(f"{command} -> sent", flush=True)
        else:
            client.send(command)
            print(f"{command} -> {client.recv()}", flush=True)


if __name__ == "__main__":
    main()
