#!/usr/bin/env python3
"""Splits a process's CPU samples (`perf script` output with call chains) into the components of a proxied request.

usage: perf script -i perf.data -F ip,sym,dso | python3 bench/perf-components.py CPU_US_PER_REQUEST

Each sample is charged once, to the component of its innermost frame that belongs to one (kernel time to the system
call it serves; base-library and runtime frames to the code that called them). A second table counts, per layer, the samples
whose stack passes through it at all (so the rows overlap): what the request would save if that layer cost nothing.
"""
import re
import sys
from collections import Counter

SELF_RULES = [
    ("TLS: OpenSSL + SslStream", re.compile(r"libssl|libcrypto|System\.Net\.Security|Interop\+Ssl|Interop\+Crypto")),
    ("the dedicated HTTP/1.1 upstream client (Runtime/Upstreams/Http1)", re.compile(r"Ingress\.LocalGateway\.Runtime\.Upstreams\.Http1")),
    ("the gateway's own stages (routing, headers, retries, metrics)", re.compile(r"Ingress\.LocalGateway")),
    ("YARP forwarder (request/response copy, transforms)", re.compile(r"\[Yarp\.|Yarp\.ReverseProxy")),
    # Kestrel carries its own copy of the HPACK codec, in the System.Net.Http.HPack namespace: before HttpClient's rule.
    ("Kestrel HTTP/2: HPACK (request headers decoded, response headers encoded)", re.compile(r"\.HPack\.|HPackHeaderWriter|Huffman")),
    ("Kestrel HTTP/2: flow control", re.compile(r"Http2\.FlowControl")),
    ("Kestrel HTTP/2: frame writer, response output (Http2FrameWriter, Http2OutputProducer)", re.compile(r"Http2FrameWriter|Http2OutputProducer")),
    ("Kestrel HTTP/2: frame reading, stream start and dispatch (Http2Connection, Http2FrameReader)", re.compile(r"Http2Connection|Http2FrameReader|Http2\.Http2Frame")),
    ("Kestrel HTTP/2: streams (Http2Stream, request body, stream pool)", re.compile(r"Http2Stream|Http2MessageBody|Internal\.Http2\.")),
    ("HttpClient upstream (SocketsHttpHandler, HttpRequestMessage, headers, Uri)", re.compile(r"System\.Net\.Http|System\.Private\.Uri|System\.Uri")),
    ("Kestrel HTTP/1.1: parsing and response output", re.compile(r"Internal\.Http\.(Http1|HttpParser)")),
    ("Kestrel + ASP.NET Core, shared by both protocols (HttpProtocol, header collections, HttpContext, hosting)", re.compile(r"Microsoft\.AspNetCore|Microsoft\.Extensions")),
    ("sockets (managed side) and pipelines", re.compile(r"System\.Net\.Sockets|System\.IO\.Pipelines|libSystem\.Native")),
    ("thread pool, async state machines, timers, locks", re.compile(r"System\.Threading|CompilerServices|ThreadPool")),
    ("base library (strings, collections, buffers, memory copies)", re.compile(r"System\.Private\.CoreLib|System\.Runtime|System\.Collections|System\.Memory|System\.Linq|System\.Text|libc\.so|ld-linux")),
]
KERNEL_RULES = [
    ("kernel: send (TCP over loopback, both directions of the copy)", re.compile(r"sendto|sendmsg|tcp_sendmsg|sys_write|ksys_write")),
    ("kernel: receive", re.compile(r"recvfrom|recvmsg|tcp_recvmsg|sys_read|ksys_read")),
    ("kernel: epoll (waiting for and reporting readiness)", re.compile(r"epoll|ep_poll")),
    ("kernel: futex, scheduling (threads sleeping and waking)", re.compile(r"futex|schedule|sched_yield|nanosleep")),
]
INCLUSIVE = [
    ("TLS (SslStream, OpenSSL, their socket calls)", re.compile(r"System\.Net\.Security\.SslStream|libssl")),
    ("Kestrel HTTP/1.1 connection (parsing, response writing, incl. TLS below it)", re.compile(r"Internal\.Http\.Http1(Connection|OutputProducer)")),
    ("Kestrel HTTP/2 connection and streams", re.compile(r"Http2Connection|Http2Stream|Http2FrameWriter|Http2OutputProducer")),
    ("Kestrel HTTP/2 output loop (Http2FrameWriter and below: TLS, send)", re.compile(r"Http2FrameWriter")),
    ("Kestrel HTTP/2 input loop (Http2Connection.ProcessRequestsAsync and below: TLS, receive, frames)", re.compile(r"Http2Connection[^ ]*::ProcessRequestsAsync|Http2Connection[^ ]*ProcessRequests")),
    ("the gateway's pipeline (RequestPipeline and below)", re.compile(r"Ingress\.LocalGateway")),
    ("YARP HttpForwarder.SendAsync and below", re.compile(r"Yarp\.ReverseProxy\.Forwarder\.HttpForwarder")),
    ("the dedicated upstream HTTP/1.1 client (Http1ConnectionPool and below)", re.compile(r"Upstreams\.Http1\.")),
    ("upstream HTTP/1.1 client (HttpConnection and below)", re.compile(r"System\.Net\.Http\.HttpConnection[^P]|System\.Net\.Http\.HttpConnection::")),
    ("GC collections (gc threads / GarbageCollect)", re.compile(r"GarbageCollect|gc_heap|\.NET GC|BackgroundGC")),
]


GENERIC = re.compile(r"System\.Private\.CoreLib|System\.Runtime|System\.Collections|System\.Memory|System\.Linq|System\.Text|"
                     r"libc\.so|ld-linux|libcoreclr|libclrjit|\[unknown\]|stub ")
DISPATCH = re.compile(r"System\.Threading|CompilerServices|ThreadPool")
def component(stack):
    inner = stack[0]
    if "[kernel" in inner[2]:
        for _, sym, dso in stack:
            if "[kernel" not in dso:
                break
            for name, rule in KERNEL_RULES:
                if rule.search(sym):
                    return name
        return "kernel: other (interrupts, page faults, timers)"
    # Charge a sample to the innermost frame that belongs to a component: base-library and runtime frames (string
    # copies, dictionary look-ups, allocation helpers, casts) are charged to the code that called them.
    generic = None
    for _, sym, dso in stack:
        text = sym + " " + dso
        if "libssl" in dso or "libcrypto" in dso:
            return SELF_RULES[0][0]
        if GENERIC.search(text) or DISPATCH.search(text):
            generic = generic or text
            continue
        for name, rule in SELF_RULES:
            if rule.search(text):
                return name
    if generic and "libclrjit" in generic:
        return "JIT compiler"
    if any(DISPATCH.search(s) for _, s, _ in stack):
        return "thread pool, async state machines, timers, locks"
    if generic and "libcoreclr" in generic:
        return "runtime native code (GC, allocation, type checks, stubs)"
    if generic:
        return "base library (strings, collections, buffers, memory copies)"
    return "other / unresolved"


def samples(lines):
    stack = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if stack:
                yield stack
            stack = []
            continue
        m = re.match(r"^\s+([0-9a-f]+)\s+(.*?)\s+\((.*)\)$", line)
        if m:
            stack.append((m.group(1), m.group(2), m.group(3)))
    if stack:
        yield stack


def main():
    cpu_us = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
    selfs, incl, total = Counter(), Counter(), 0
    for stack in samples(sys.stdin):
        total += 1
        selfs[component(stack)] += 1
        text = " ".join(s + " " + d for _, s, d in stack)
        for name, rule in INCLUSIVE:
            if rule.search(text):
                incl[name] += 1
    if total == 0:
        print("no samples")
        return
    print(f"| component (innermost frame) | share of the gateway's CPU | µs per request |\n|---|---:|---:|")
    for name, n in selfs.most_common():
        print(f"| {name} | {n / total * 100:.1f} % | {n / total * cpu_us:.1f} |")
    print(f"| **total** ({total} samples) | 100 % | **{cpu_us:.1f}** |\n")
    print("| layer (the sample's stack passes through it; rows overlap) | share | µs per request |\n|---|---:|---:|")
    for name, _ in INCLUSIVE:
        n = incl[name]
        print(f"| {name} | {n / total * 100:.1f} % | {n / total * cpu_us:.1f} |")


if __name__ == "__main__":
    main()
