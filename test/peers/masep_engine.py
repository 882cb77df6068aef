#!/usr/bin/env python3
"""A pymasep engine written from the wire spec (masep.md), standard library only.

It listens on 127.0.0.1 only and speaks what a pymasep engine speaks: 2-byte little-endian
frames, the client's hello answered with the engine's, XML Messages (DEFINE, REGISTER,
OBSERVATION, ACTION, QUIT, END) and the interface's BYE. Like pymasep it resolves the game class
named in the first DEFINE against the games it can import; it has one of its own that actorwire
has no class for, tic-tac-toe for two players, whose rules are below. A class path it cannot
import is refused the graceful way of the spec (an `end` Message, BYE, close) and reported on
stderr with the error Python's import would give.

The state it observes is written as pymasep writes one: a `system` object (AgentOrder, GamePhase),
a `board` object (Cells: a list of 9 str, '' for a free cell; Winner: a str, None while playing),
one Agent per player (Mark: 'X' or 'O') with an empty Belief; additional_information holds
state_changed and reward. An action is `<Action type="1">` with int parameters `row` and `col`;
only the agent heading AgentOrder may act; an illegal move loses the turn, and an episode
that reaches 30 steps ends as a draw.

usage: masep_engine.py PORT [--episodes N] [--timeout SECONDS]
PORT 0 picks a free port. Prints `masep-engine listening on 127.0.0.1:<port>` first, then one
JSON line per finished episode, then {"ended": true, ...}; exits 0 once every interface has gone
after the last episode, 3 on the timeout (default 60 s).
"""
import json
import selectors
import socket
import struct
import sys
import time
import uuid
import xml.etree.ElementTree as ET

EXTERNAL_CONTROLLER = 'pymasep.engine.external_controller.ExternalController'
EMPTY_GRAPHML = (
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
    '  <graph edgedefault="undirected" /></graphml>'
)
PLACE = 1
MAX_STEPS = 30
LINES = [(0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6), (1, 4, 7), (2, 5, 8), (0, 4, 8), (2, 4, 6)]


def log(text):
    sys.stderr.write(text + '\n')
    sys.stderr.flush()


def say(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


class TicTacToe:
    """Two players mark cells in turn; three in a row wins (+1, the other -1); a full board is a draw."""

    max_players = 2
    marks = ('X', 'O')

    def __init__(self):
        self.cells = [''] * 9
        self.winner = None

    def play(self, index, row, col):
        """Applies a move of player `index`; False (and nothing changes) when it is illegal."""
        if not (isinstance(row, int) and isinstance(col, int) and 0 <= row < 3 and 0 <= col < 3):
            return False
        cell = row * 3 + col
        if self.cells[cell]:
            return False
        self.cells[cell] = self.marks[index]
        if any(self.cells[a] and self.cells[a] == self.cells[b] == self.cells[c] for a, b, c in LINES):
            self.winner = index
        return True

    def over(self, step):
        return self.winner is not None or all(self.cells) or step >= MAX_STEPS

    def rewards(self):
        if self.winner is None:
            return [0.0, 0.0]
        return [1.0 if i == self.winner else -1.0 for i in range(2)]


# What this engine can import: module path -> {class name: game class}.
IMPORTABLE = {'mygames.tictactoe': {'TicTacToe': TicTacToe}}


def import_game(path):
    """The game class at dotted `path`, or raises the error Python's import would."""
    module, _, name = path.rpartition('.')
    packages = {m.rsplit('.', i)[0] for m in IMPORTABLE for i in range(m.count('.') + 1)}
    parts = (module or path).split('.')
    for i in range(1, len(parts) + 1):
        prefix = '.'.join(parts[:i])
        if prefix not in packages:
            raise ModuleNotFoundError("No module named '%s'" % prefix)
    classes = IMPORTABLE.get(module, {})
    if name not in classes:
        raise AttributeError("module '%s' has no attribute '%s'" % (module, name))
    return classes[name]


# ---- values (spec 2.2) ---------------------------------------------------------------------

def encode(value):
    if isinstance(value, bool):
        el = ET.Element('bool')
        el.text = 'True' if value else 'False'
    elif isinstance(value, int):
        el = ET.Element('int')
        el.text = str(value)
    elif isinstance(value, float):
        el = ET.Element('float')
        el.text = repr(value)
    elif isinstance(value, str):
        el = ET.Element('str')
        if value:
            el.text = value
        else:
            el.set('content', 'empty')
    elif isinstance(value, (list, tuple)):
        el = ET.Element('list')
        for v in value:
            ET.SubElement(el, 'item').append(encode(v))
    elif isinstance(value, dict):
        el = ET.Element('dict')
        for k, v in value.items():
            ET.SubElement(el, 'item', {'key': k}).append(encode(v))
    else:
        raise TypeError('cannot encode %r' % (value,))
    return el


def decode(el):
    """The simple values an interface sends (str, int, bool, list, dict, type); others stay elements."""
    tag, text = el.tag, el.text or ''
    if tag == 'str':
        return '' if el.get('content') == 'empty' else text
    if tag == 'int':
        return int(text)
    if tag == 'bool':
        return bool(text)
    if tag == 'type':
        return ('class', text[len("<class '"):-2]) if text.startswith("<class '") else ('class', '')
    if tag in ('list', 'tuple', 'set'):
        return [decode(i[0]) for i in el if i.tag == 'item']
    if tag == 'dict':
        return {i.get('key'): decode(i[0]) for i in el if i.tag == 'item'}
    return el


def message(msg_type, src, params=None):
    root = ET.Element('Message', {'msg_type': msg_type, 'src_sub_app': src})
    if params:
        root.append(params if isinstance(params, ET.Element) else encode(params))
    return ET.tostring(root)


def characteristic(name, value, none_type=None):
    el = ET.Element('Characteristic', {'name': name, 'state': 'run'})
    el.append(ET.Element(none_type) if value is None else encode(value))
    return el


def game_object(tag, name, characteristics, **attributes):
    el = ET.Element(tag, {'name': name, 'state': 'run', **attributes})
    object_state = ET.SubElement(el, 'ObjectState', {'name': 'state', 'state': 'run'})
    object_state.extend(characteristics)
    return el


# ---- connections ---------------------------------------------------------------------------

class Peer:
    """One interface connection: its frames, ident and registration."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b''
        self.ident = None
        self.defined = False
        self.role = None
        self.seat = None
        self.leaving = False

    def send(self, payload):
        # Header and body in two writes, as pymasep does.
        try:
            self.sock.sendall(struct.pack('<H', len(payload)))
            self.sock.sendall(payload)
        except OSError:
            pass

    def frames(self):
        while len(self.buffer) >= 2:
            (length,) = struct.unpack('<H', self.buffer[:2])
            if len(self.buffer) < 2 + length:
                return
            payload, self.buffer = self.buffer[2:2 + length], self.buffer[2 + length:]
            yield payload


class Engine:
    def __init__(self, port, episodes, timeout):
        self.id = str(uuid.uuid4())
        self.episodes = episodes
        self.deadline = time.monotonic() + timeout
        self.selector = selectors.DefaultSelector()
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(('127.0.0.1', port))
        self.server.listen(10)
        self.selector.register(self.server, selectors.EVENT_READ)
        self.peers = {}
        self.game_class = None
        self.seats = [None, None]
        self.game = None
        self.head = 0
        self.step = 0
        self.played = 0
        self.last_rewards = [0.0, 0.0]
        self.ending = False

    @property
    def port(self):
        return self.server.getsockname()[1]

    def run(self):
        while time.monotonic() < self.deadline:
            if self.ending and not self.peers:
                say({'ended': True, 'episodes': self.played})
                return 0
            for key, _ in self.selector.select(timeout=0.2):
                if key.fileobj is self.server:
                    sock, _ = self.server.accept()
                    self.peers[sock] = Peer(sock)
                    self.selector.register(sock, selectors.EVENT_READ)
                else:
                    self.on_readable(self.peers.get(key.fileobj))
        log('timeout: stopping')
        return 3

    def close(self, peer):
        if peer.sock not in self.peers:
            return
        self.selector.unregister(peer.sock)
        del self.peers[peer.sock]
        peer.sock.close()
        if peer.seat is not None and self.seats[peer.seat] is peer:
            self.seats[peer.seat] = None

    def refuse(self, peer, reason):
        """The spec's graceful refusal: an `end` Message, BYE, then close."""
        log('refusing %s: %s' % (peer.ident, reason))
        peer.send(message('end', self.id))
        peer.send(b'BYE')
        self.close(peer)

    def on_readable(self, peer):
        if peer is None:
            return
        try:
            chunk = peer.sock.recv(65536)
        except OSError:
            chunk = b''
        if not chunk:
            self.close(peer)
            return
        peer.buffer += chunk
        for payload in peer.frames():
            if peer.sock not in self.peers:
                return
            if peer.ident is None:
                peer.ident = payload.decode('utf-8')
                peer.send(self.id.encode())
            elif payload == b'BYE':
                self.close(peer)
                return
            else:
                self.on_message(peer, ET.fromstring(payload))

    def on_message(self, peer, root):
        msg_type = root.get('msg_type')
        if root.get('src_sub_app') != peer.ident:
            log('ignoring a %s whose src_sub_app is not the connection ident' % msg_type)
            return
        params = decode(root[0]) if len(root) else {}
        if not peer.defined:
            if msg_type != 'define':
                self.refuse(peer, 'the first message must be a DEFINE, not %s' % msg_type)
                return
            self.on_define(peer, params.get('game', ('class', ''))[1])
        elif msg_type == 'register':
            self.on_register(peer, params)
        elif msg_type == 'action':
            self.on_action(peer, params.get('action'))
        elif msg_type == 'quit':
            self.on_quit(peer)
        else:
            log('Expected define, register, action or quit instead have %s' % msg_type)

    def on_define(self, peer, path):
        try:
            game_class = import_game(path)
        except (ImportError, AttributeError) as err:
            self.refuse(peer, '%s: %s' % (type(err).__name__, err))
            return
        if self.game_class is None:
            self.game_class = game_class
        elif game_class is not self.game_class:
            log('a later DEFINE names another game (%s); it is ignored, as pymasep does' % path)
        peer.defined = True

    def on_register(self, peer, params):
        if params.get('id') != peer.ident or params.get('role') not in ('Actor', 'Observer'):
            self.refuse(peer, 'bad REGISTER %r' % (params,))
            return
        if params['role'] == 'Actor':
            if None not in self.seats or self.ending:
                self.refuse(peer, 'no free seat (%d players)' % self.game_class.max_players)
                return
            peer.seat = self.seats.index(None)
            self.seats[peer.seat] = peer
        peer.role = params['role']
        log('registered %s as %s%s' % (peer.ident, peer.role, '' if peer.seat is None else ' (player%d)' % peer.seat))
        if self.game is not None:
            peer.send(self.observation())
        self.maybe_start()

    def maybe_start(self):
        if self.game is None and not self.ending and None not in self.seats:
            self.game = self.game_class()
            self.head = 0
            self.step = 0
            self.last_rewards = [0.0, 0.0]
            self.broadcast()

    def on_action(self, peer, action):
        if self.game is None or peer.seat is None or peer.seat != self.head:
            log('ignoring an action out of turn from %s' % peer.ident)
            return
        args = {}
        if isinstance(action, ET.Element) and action.tag == 'Action':
            args = {p.get('name'): decode(p[0]) for p in action if p.tag == 'ActionParameter' and len(p)}
            kind = int(action.get('type', '0'))
        else:
            kind = None
        if kind != PLACE or not self.game.play(self.head, args.get('row'), args.get('col')):
            log('illegal move %r %r from player%d: the turn passes' % (kind, args, self.head))
        self.step += 1
        self.head = 1 - self.head
        self.last_rewards = self.game.rewards() if self.game.over(self.step) else [0.0, 0.0]
        self.broadcast()
        if self.game.over(self.step):
            self.end_episode()

    def on_quit(self, peer):
        peer.leaving = True
        if peer.seat is not None and self.seats[peer.seat] is peer:
            self.seats[peer.seat] = None
        if self.game is not None:
            self.end_episode()

    def end_episode(self):
        winner = None if self.game.winner is None else 'player%d' % self.game.winner
        say({'episode': self.played, 'steps': self.step, 'winner': winner,
             'rewards': {'player%d' % i: r for i, r in enumerate(self.game.rewards())}})
        self.played += 1
        self.game = None
        if self.played >= self.episodes:
            self.ending = True
            for peer in list(self.peers.values()):
                if peer.role is not None:
                    peer.send(message('end', self.id))
        else:
            self.maybe_start()

    def observation(self):
        game = self.game
        state = ET.Element('State', {'name': 'State', 'state': 'run',
                                     'is_final': 'True' if game.over(self.step) else 'False', 'env_step': str(self.step)})
        order = ET.Element('CircularHeadList')
        ET.SubElement(order, 'data').append(encode(['State.player0', 'State.player1']))
        ET.SubElement(order, 'head_idx').text = str(self.head)
        agent_order = ET.Element('Characteristic', {'name': 'AgentOrder', 'state': 'run'})
        agent_order.append(order)
        state.append(game_object('Object', 'system', [agent_order, characteristic('GamePhase', 'play')]))
        winner = None if game.winner is None else game.marks[game.winner]
        state.append(game_object('Object', 'board', [characteristic('Cells', game.cells),
                                                     characteristic('Winner', winner, 'str')]))
        for index, peer in enumerate(self.seats):
            attributes = {'controller': EXTERNAL_CONTROLLER}
            if peer is not None:
                attributes['control'] = peer.ident
            agent = game_object('Agent', 'player%d' % index, [characteristic('Mark', game.marks[index])], **attributes)
            belief = ET.SubElement(agent, 'Belief', {'name': 'belief', 'state': 'run'})
            ET.SubElement(belief, 'content').text = EMPTY_GRAPHML
            state.append(agent)
        params = ET.Element('dict')
        ET.SubElement(params, 'item', {'key': 'observation'}).append(state)
        info = {'state_changed': True,
                'reward': {'State.player%d' % i: r for i, r in enumerate(self.last_rewards)}}
        ET.SubElement(params, 'item', {'key': 'additional_information'}).append(encode(info))
        return message('observation', self.id, params)

    def broadcast(self):
        payload = self.observation()
        for peer in list(self.peers.values()):
            if peer.role is not None and not peer.leaving:
                peer.send(payload)


def main(argv):
    port = int(argv[0])
    options = dict(zip(argv[1::2], argv[2::2]))
    engine = Engine(port, int(options.get('--episodes', '1')), float(options.get('--timeout', '60')))
    print('masep-engine listening on 127.0.0.1:%d' % engine.port, flush=True)
    return engine.run()


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
