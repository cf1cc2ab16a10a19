#!/usr/bin/env python3
"""Extracts the ELF vmlinux, with its .BTF section, from an x86 bzImage.

  extract-vmlinux.py /boot/vmlinuz-<ver> OUT

Debian's headers package has no vmlinux for every kernel line, and module
BTF is encoded against it (pahole -J --btf_base). The bzImage's setup header
gives the compressed payload's offset and length (u32 at 0x248 and 0x24c,
counted from the end of the setup sectors: (setup_sects + 1) * 512,
setup_sects the byte at 0x1f1). The payload is whatever the kernel's
CONFIG_KERNEL_* chose: Debian's 6.1 is XZ, its 6.12 zstd. Every format but
gzip has the uncompressed size appended as a little-endian u32
(scripts/Makefile.lib's size_append); it is cut off before decompressing,
and checked against what came out.
"""
import bz2
import gzip
import lzma
import os
import shutil
import struct
import subprocess
import sys

# Magic bytes of each format the kernel can compress itself with
# (CONFIG_KERNEL_GZIP, _BZIP2, _LZMA, _XZ, _LZO, _LZ4, _ZSTD), and how to
# undo it: a Python module, or the command (and the Debian package that
# has it) that reads the stream on stdin.
FORMATS = [
    ("gzip", b"\x1f\x8b", "python", None),
    ("xz", b"\xfd7zXZ\x00", "python", None),
    ("bzip2", b"BZh", "python", None),
    ("lzma", b"\x5d\x00\x00", "python", None),
    ("zstd", b"\x28\xb5\x2f\xfd", ["zstd", "-q", "-d", "-c"], "zstd"),
    ("lz4", b"\x02\x21\x4c\x18", ["lz4", "-q", "-d", "-c"], "lz4"),
    ("lzo", b"\x89LZO", ["lzop", "-q", "-d", "-c"], "lzop"),
]


def fail(why):
    sys.exit("extract-vmlinux: " + why)


def payload_of(image):
    if len(image) < 0x250 or image[0x202:0x206] != b"HdrS":
        fail("not an x86 bzImage (no 'HdrS' setup header)")
    setup_sects = image[0x1F1] or 4
    offset, length = struct.unpack_from("<II", image, 0x248)
    start = (setup_sects + 1) * 512 + offset
    payload = image[start:start + length]
    if len(payload) != length or length < 8:
        fail("the payload offset or length in the setup header is out of the file")
    return payload


def decompress(name, how, package, data):
    if how == "python":
        if name == "gzip":
            return gzip.decompress(data)
        if name == "bzip2":
            return bz2.decompress(data)
        if name == "xz":
            return lzma.decompress(data, format=lzma.FORMAT_XZ)
        return lzma.decompress(data, format=lzma.FORMAT_ALONE)
    if not shutil.which(how[0]):
        fail(f"the payload is {name}: install {how[0]} (Debian package {package})")
    done = subprocess.run(how, input=data, capture_output=True, check=False)
    if done.returncode != 0:
        fail(f"{how[0]} could not unpack the {name} payload: "
             + done.stderr.decode(errors="replace").strip())
    return done.stdout


def extract(image):
    payload = payload_of(image)
    for name, magic, how, package in FORMATS:
        if not payload.startswith(magic):
            continue
        if name == "gzip":
            # gzip carries its own size (ISIZE) in its trailer.
            return decompress(name, how, package, payload), name
        data, size = payload[:-4], struct.unpack_from("<I", payload, len(payload) - 4)[0]
        elf = decompress(name, how, package, data)
        if len(elf) & 0xFFFFFFFF != size:
            fail(f"the {name} payload unpacked to {len(elf)} bytes, "
                 f"where the kernel's size trailer says {size}")
        return elf, name
    fail("the payload's format is none the kernel compresses with "
         "(gzip, xz, bzip2, lzma, zstd, lz4, lzo): first bytes "
         + payload[:6].hex(" "))
    return None, None


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: extract-vmlinux.py BZIMAGE OUT")
    try:
        with open(sys.argv[1], "rb") as f:
            image = f.read()
    except OSError as e:
        fail(f"{sys.argv[1]}: {e.strerror}")
    elf, name = extract(image)
    if elf[:4] != b"\x7fELF":
        fail(f"the {name} payload is not an ELF image")
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "wb") as f:
        f.write(elf)
    os.replace(tmp, sys.argv[2])


if __name__ == "__main__":
    main()
