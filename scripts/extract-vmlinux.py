#!/usr/bin/env python3
"""Extracts the ELF vmlinux, with its .BTF section, from an x86 bzImage.

  extract-vmlinux.py /boot/vmlinuz-<ver> OUT

Debian's headers package has no vmlinux, and module BTF is encoded against
it (pahole -J --btf_base). The bzImage's setup header gives the compressed
payload's offset and length (u32 at 0x248 and 0x24c, counted from the end of
the setup sectors: (setup_sects + 1) * 512, setup_sects the byte at 0x1f1).
The payload is XZ; lzma here stops cleanly at the trailing padding where the
xz command does not.
"""
import lzma
import os
import struct
import sys


def extract(image):
    setup_sects = image[0x1F1] or 4
    offset, length = struct.unpack_from("<II", image, 0x248)
    start = (setup_sects + 1) * 512 + offset
    payload = image[start:start + length]
    if payload[:6] != b"\xfd7zXZ\x00":
        sys.exit("extract-vmlinux: the payload is not XZ; this kernel is not supported")
    elf = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(payload)
    if elf[:4] != b"\x7fELF":
        sys.exit("extract-vmlinux: the payload is not an ELF image")
    return elf


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: extract-vmlinux.py BZIMAGE OUT")
    with open(sys.argv[1], "rb") as f:
        elf = extract(f.read())
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "wb") as f:
        f.write(elf)
    os.replace(tmp, sys.argv[2])


if __name__ == "__main__":
    main()
