#!/usr/bin/python3
"""Slow HTTP clients (slowloris), for scripts/bench_server.sh.

    slow_clients.py HOST PORT CONNECTIONS SECONDS

Opens CONNECTIONS connections to HOST:PORT, each sending the start of a
GET request, then one more header line every 4 s, never the blank line
that ends the head, for SECONDS. A connection the server closes is opened
again. Prints how many connections were open at the end and how many the
server closed. Standard library only.
"""
import socket
import sys
import time


def open_one(host, port):
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    return s


def main():
    host, port, count, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    clients = [open_one(host, port) for _ in range(count)]
    closed = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(min(4, max(0, end - time.monotonic())))
        for i, s in enumerate(clients):
            try:
                s.sendall(b"X-Slow: 1\r\n")
            except OSError:
                closed += 1
                s.close()
                clients[i] = open_one(host, port)
    print(f"slow_clients: {len(clients)} open at the end; the server closed {closed}")
    for s in clients:
        s.close()


if __name__ == "__main__":
    main()
