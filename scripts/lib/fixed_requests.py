#!/usr/bin/env python3
"""Sends exactly N HTTP/1.1 requests, one at a time, on one keep-alive connection, and checks each
answer's status. usage: fixed_requests.py PORT METHOD PATH N [BODY_FILE] [Header: value]..."""
import socket, sys

port, method, path, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
body = open(sys.argv[5], "rb").read() if len(sys.argv) > 5 and sys.argv[5] != "-" else b""
extra = "".join(h + "\r\n" for h in sys.argv[6:])
head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}"
if body or method == "POST":
    head += f"Content-Length: {len(body)}\r\n"
request = (head + "\r\n").encode() + body
sock = socket.create_connection(("127.0.0.1", port))
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
buffer = b""
bad = 0
for _ in range(n):
    sock.sendall(request)
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            sys.exit("connection closed")
        buffer += chunk
    end = buffer.index(b"\r\n\r\n") + 4
    headers = buffer[:end].decode("latin-1")
    status = int(headers.split(" ", 2)[1])
    length = 0
    for line in headers.split("\r\n")[1:]:
        if line.lower().startswith("content-length:"):
            length = int(line.split(":", 1)[1])
    while len(buffer) < end + length:
        buffer += sock.recv(65536)
    if status >= 300:
        bad += 1
    buffer = buffer[end + length:]
sock.close()
print(f"sent={n} bad={bad}")
sys.exit(1 if bad else 0)
