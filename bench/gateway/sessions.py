#!/usr/bin/env python3
"""Opens N TLS sessions through the gateway and holds them (the gateway's memory for N idle
sessions), or measures how long after a kill request every session is cut.

usage: sessions.py idle GATEWAY_PORT ASSET CERT KEY CA N GATEWAY_PID
       sessions.py kill GATEWAY_PORT ASSET CERT KEY CA N KILL_COMMAND...
       sessions.py read PORT [ASSET CERT KEY CA]   (TLS when ASSET is given; CERT may be "-")
idle prints "sessions=N rss_kib_before=.. rss_kib_after=.. per_session_kib=..";
kill runs KILL_COMMAND once all N sessions are open and prints the cut latencies
(p50, p99, max, in ms) measured from the moment the command was started;
read sends one byte (the upstream starts sending on it), reads to the end with 1 MiB buffers
and prints "bytes=.. seconds=.. mb_per_s=.. client_cpu_s=.. sha256=.." (client_cpu_s: this
process's user + system CPU seconds during the transfer).
"""
import hashlib, os
import socket, ssl, subprocess, sys, time, select


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def open_sessions(port, asset, cert, key, ca, n):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.load_cert_chain(cert, key)
    ctx.load_verify_locations(ca)
    ctx.check_hostname = False
    log = os.environ.get("PW_GATEWAY_LOG")
    opened_before = open(log).read().count('"gateway.session.opened"') if log else 0
    socks = []
    for _ in range(n):
        raw = socket.create_connection(("127.0.0.1", port), timeout=30)
        s = ctx.wrap_socket(raw, server_hostname=asset)
        socks.append(s)
    # A session is open once the gateway admitted it; with TLS 1.3 the handshake ends before
    # admission: wait until the gateway's event log ($PW_GATEWAY_LOG) shows them all opened.
    log = os.environ.get("PW_GATEWAY_LOG")
    deadline = time.monotonic() + 120
    while log and time.monotonic() < deadline:
        with open(log) as f:
            if f.read().count('"gateway.session.opened"') >= opened_before + n:
                break
        time.sleep(0.1)
    time.sleep(0.5)
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                sys.exit("a session was refused")
        except (ssl.SSLWantReadError, BlockingIOError):
            pass
    return socks


def read(argv):
    port = int(argv[0])
    raw = socket.create_connection(("127.0.0.1", port), timeout=60)
    s = raw
    if len(argv) > 1:
        asset, cert, key, ca = argv[1:5]
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        if cert != "-":
            ctx.load_cert_chain(cert, key)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        s = ctx.wrap_socket(raw, server_hostname=asset)
    t0 = time.monotonic()
    r0 = os.times()
    s.sendall(b"x")
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    h = hashlib.sha256() if "--sha256" in sys.argv else None
    total = 0
    while True:
        try:
            n = s.recv_into(buf)
        except ssl.SSLEOFError:
            n = 0
        if n == 0:
            break
        total += n
        if h:
            h.update(view[:n])
    dt = time.monotonic() - t0
    r1 = os.times()
    cpu = (r1.user - r0.user) + (r1.system - r0.system)
    cipher = f" cipher={s.cipher()[0]}" if s is not raw else ""
    print(f"bytes={total} seconds={dt:.2f} mb_per_s={total / dt / 1e6:.0f} client_cpu_s={cpu:.2f}"
          + cipher + (f" sha256={h.hexdigest()}" if h else ""))


def main():
    if sys.argv[1] == "read":
        return read([a for a in sys.argv[2:] if a != "--sha256"])
    mode, port, asset, cert, key, ca, n = sys.argv[1:8]
    port, n = int(port), int(n)
    if mode == "idle":
        pid = int(sys.argv[8])
        before = rss_kib(pid)
        socks = open_sessions(port, asset, cert, key, ca, n)
        time.sleep(1.0)
        after = rss_kib(pid)
        print(f"sessions={n} rss_kib_before={before} rss_kib_after={after} "
              f"per_session_kib={(after - before) / n:.1f}")
        for s in socks:
            s.close()
        return
    socks = open_sessions(port, asset, cert, key, ca, n)
    t0 = time.monotonic()
    subprocess.Popen(sys.argv[8:], stdout=subprocess.DEVNULL)
    cut = {}
    fds = {s.fileno(): s for s in socks}
    poller = select.poll()
    for fd in fds:
        poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    deadline = t0 + 30
    while len(cut) < n and time.monotonic() < deadline:
        for fd, _ in poller.poll(100):
            if fd in cut:
                continue
            try:
                data = fds[fd].recv(4096)
            except (ssl.SSLWantReadError, BlockingIOError):
                continue
            except (ssl.SSLError, OSError):
                data = b""
            if data == b"":
                cut[fd] = time.monotonic() - t0
                poller.unregister(fd)
    lat = sorted(v * 1000 for v in cut.values())
    if len(lat) < n:
        print(f"only {len(lat)} of {n} sessions were cut within 30 s")
    if lat:
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
        print(f"sessions={n} cut={len(lat)} p50_ms={p(0.50):.0f} p99_ms={p(0.99):.0f} "
              f"max_ms={lat[-1]:.0f}")


if __name__ == "__main__":
    main()
