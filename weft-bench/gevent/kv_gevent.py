"""The gevent twin of weft's Redis-protocol server (weft-bench/redis/bench.sh): a
gevent.server.StreamServer, a greenlet per connection, RESP2 parsed per batch of pipelined
commands, a dict keyspace. Enough commands for redis-benchmark -t get,set,incr.

    /usr/bin/python3 kv_gevent.py PORT
"""
import sys

from gevent.server import StreamServer

DATA = {}


def bulk(v):
    if v is None:
        return b"$-1\r\n"
    return b"$%d\r\n%s\r\n" % (len(v), v)


def execute(args):
    cmd = args[0].upper()
    if cmd == b"GET":
        return bulk(DATA.get(args[1]))
    if cmd == b"SET":
        DATA[args[1]] = args[2]
        return b"+OK\r\n"
    if cmd == b"INCR":
        try:
            v = int(DATA.get(args[1], b"0")) + 1
        except ValueError:
            return b"-ERR value is not an integer or out of range\r\n"
        DATA[args[1]] = b"%d" % v
        return b":%d\r\n" % v
    if cmd == b"PING":
        return b"+PONG\r\n"
    if cmd == b"CONFIG":
        return b"*0\r\n"
    return b"-ERR unknown command '%s'\r\n" % args[0]


def parse(buf, pos):
    """One command from buf at pos: (args, new_pos), or (None, pos) if incomplete."""
    if buf[pos:pos + 1] != b"*":
        eol = buf.find(b"\n", pos)
        if eol < 0:
            return None, pos
        return buf[pos:eol].strip().split(), eol + 1
    eol = buf.find(b"\r\n", pos)
    if eol < 0:
        return None, pos
    n = int(buf[pos + 1:eol])
    p = eol + 2
    args = []
    for _ in range(n):
        eol = buf.find(b"\r\n", p)
        if eol < 0:
            return None, pos
        ln = int(buf[p + 1:eol])
        start = eol + 2
        if len(buf) < start + ln + 2:
            return None, pos
        args.append(buf[start:start + ln])
        p = start + ln + 2
    return args, p


def handle(sock, address):
    buf = b""
    while True:
        data = sock.recv(65536)
        if not data:
            return
        buf += data
        pos = 0
        out = []
        while True:
            args, pos2 = parse(buf, pos)
            if args is None:
                break
            pos = pos2
            if args:
                out.append(execute(args))
        buf = buf[pos:]
        if out:
            sock.sendall(b"".join(out))


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 6382
    server = StreamServer(("127.0.0.1", port), handle, backlog=4096)
    print("gevent twin listening on 127.0.0.1:%d" % port, flush=True)
    server.serve_forever()
