#!/usr/bin/env python3
"""Connection set-up through the gateway: N times, connect, TLS 1.3 handshake with the grant
certificate, send one byte, wait for the first byte of the asset's answer, close. Prints the
median and p90 in ms. usage: setup_time.py GATEWAY_PORT ASSET CERT KEY N"""
import socket, ssl, sys, time

port, asset, cert, key, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.minimum_version = ssl.TLSVersion.TLSv1_3
ctx.load_cert_chain(cert, key)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
times = []
for _ in range(n):
    t0 = time.monotonic()
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10), server_hostname=asset)
    s.sendall(b"x")
    if not s.recv(1):
        sys.exit("refused")
    times.append((time.monotonic() - t0) * 1000)
    s.close()
times.sort()
print(f"median {times[len(times) // 2]:.2f} ms, p90 {times[int(len(times) * 0.9)]:.2f} ms (n={n})")
