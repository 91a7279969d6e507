"""Fills a hand-written .npu artifact in protobuf text format with bytes.

Usage: fill-textproto.py IN.txtpb OUT.txtpb [NAME=FILE ...]
In IN, "@NAME@" becomes the escaped bytes of FILE (for cpu_library and
kernel binaries) and "@f32:1,2.5,...@" the escaped little-endian float32s
(for constants). Everything else is copied unchanged.
"""
import re
import struct
import sys


def escape(data):
    return "".join("\\%03o" % b for b in data)


def main():
    src, dst, *pairs = sys.argv[1:]
    files = dict(p.split("=", 1) for p in pairs)
    text = open(src).read()

    def repl(m):
        key = m.group(1)
        if key.startswith("f32:"):
            vals = [float(v) for v in key[4:].split(",")]
            return escape(struct.pack("<%df" % len(vals), *vals))
        return escape(open(files[key], "rb").read())

    open(dst, "w").write(re.sub(r"@([A-Za-z0-9_]+|f32:[-0-9.e,]+)@", repl, text))


main()
