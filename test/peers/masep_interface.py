#!/usr/bin/env python3
"""A byte-level pymasep interface written from the wire spec (masep.md), standard library only.

It plays the turn-based resource grid greedily against an engine, the way a pymasep interface
would: hello, DEFINE, REGISTER, one ACTION per observed step where its agent heads AgentOrder,
and on `end` QUIT then BYE. It reads only what pymasep's engine writes: the resources are the
objects of nature `resource`, and episodes are counted here (the wire does not number them). Frame headers and bodies are written in two separate sendall calls, as pymasep
does, and reads loop until complete (unlike pymasep).

usage: masep_interface.py HOST PORT GAME ROLE
Prints one JSON line: {"id", "observations", "actions", "end"}.
"""
import json
import socket
import struct
import sys
import uuid
import xml.etree.ElementTree as ET


def send_frame(sock, payload):
    sock.sendall(struct.pack('<H', len(payload)))
    sock.sendall(payload)


def recv_exact(sock, n):
    data = b''
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError('engine closed the connection')
        data += chunk
    return data


def recv_frame(sock):
    (length,) = struct.unpack('<H', recv_exact(sock, 2))
    return recv_exact(sock, length)


def message(msg_type, src, params=None):
    root = ET.Element('Message', {'msg_type': msg_type, 'src_sub_app': src})
    if params is not None:
        root.append(params)
    return ET.tostring(root)


def item(parent, key, tag, text):
    entry = ET.SubElement(parent, 'item', {'key': key})
    ET.SubElement(entry, tag).text = text


def characteristic(obj, name):
    for c in obj.iter('Characteristic'):
        if c.get('name') == name:
            return c[0]
    return None


def choose(state, me):
    """Greedy move toward the nearest resource; None when it is not our turn."""
    if state.get('is_final') == 'True':
        return None
    agent = next((a for a in state.iter('Agent') if a.get('control') == me), None)
    if agent is None:
        return None
    system = next(o for o in state if o.get('name') == 'system')
    order = characteristic(system, 'AgentOrder')
    names = [i[0].text for i in order.find('data').find('list')]
    head = int(order.find('head_idx').text)
    if names[head] != 'State.' + agent.get('name'):
        return None
    x = int(characteristic(agent, 'X').text)
    y = int(characteristic(agent, 'Y').text)
    cells = [(int(characteristic(o, 'X').text), int(characteristic(o, 'Y').text))
             for o in state if o.get('nature') == 'resource']
    if not cells:
        return 'stay'
    tx, ty = min(cells, key=lambda c: (abs(c[0] - x) + abs(c[1] - y), c))
    if tx != x:
        return 'right' if tx > x else 'left'
    if ty != y:
        return 'down' if ty > y else 'up'
    return 'stay'


def main():
    host, port, game, role = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    me = str(uuid.uuid4())
    sock = socket.create_connection((host, port))
    send_frame(sock, me.encode())
    engine = recv_frame(sock).decode()

    define = ET.Element('dict')
    item(define, 'game', 'type', "<class '%s'>" % game)
    send_frame(sock, message('define', me, define))
    register = ET.Element('dict')
    item(register, 'id', 'str', me)
    item(register, 'queue_id', 'int', '0')
    item(register, 'role', 'str', role)
    send_frame(sock, message('register', me, register))

    observations = actions = episode = 0
    acted = set()
    while True:
        payload = recv_frame(sock)
        if payload == b'BYE':
            break
        root = ET.fromstring(payload)
        assert root.get('src_sub_app') == engine, 'observation not from the engine'
        if root.get('msg_type') == 'end':
            send_frame(sock, message('quit', me))
            send_frame(sock, b'BYE')
            break
        if root.get('msg_type') != 'observation':
            continue
        observations += 1
        params = {i.get('key'): i[0] for i in root[0]}
        state = params['observation']
        key = (episode, state.get('env_step'))
        if state.get('is_final') == 'True':
            episode += 1
        move = choose(state, me) if role == 'Actor' else None
        if move is None or key in acted:
            continue
        acted.add(key)
        action = ET.Element('dict')
        entry = ET.SubElement(action, 'item', {'key': 'action'})
        act = ET.SubElement(entry, 'Action', {'type': '1'})
        ET.SubElement(ET.SubElement(act, 'ActionParameter', {'name': 'direction'}), 'str').text = move
        send_frame(sock, message('action', me, action))
        actions += 1
    sock.shutdown(socket.SHUT_WR)
    while sock.recv(4096):
        pass
    sock.close()
    print(json.dumps({'id': me, 'observations': observations, 'actions': actions, 'end': True}))


if __name__ == '__main__':
    main()
