#!/usr/bin/env python3
"""scripts/extract-vmlinux.py on a bzImage of every compression the kernel
can choose (CONFIG_KERNEL_GZIP ... _ZSTD), built here around a small ELF
the way the kernel builds one (the payload, then its size as a u32 but for
gzip), and on the kernels installed in /boot. A format whose tool is
missing, an unknown format and a wrong size trailer must fail with a
message that names what is wrong. One line per test:
PASS/FAIL host/extract-vmlinux/<name>.
"""
import bz2
import glob
import gzip
import lzma
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

EXTRACT = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "extract-vmlinux.py")
failed = False


def result(ok, name, why=""):
    global failed
    print(f"PASS host/extract-vmlinux/{name}" + (f" ({why})" if ok and why else "")
          if ok else f"FAIL host/extract-vmlinux/{name}: {why}")
    failed |= not ok


def tool(argv, data):
    return subprocess.run(argv, input=data, capture_output=True, check=True).stdout


def size_appended(data, elf):
    return data + struct.pack("<I", len(elf) & 0xFFFFFFFF)


COMPRESS = {
    "gzip": lambda e: gzip.compress(e, mtime=0),
    "xz": lambda e: size_appended(lzma.compress(e, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32), e),
    "bzip2": lambda e: size_appended(bz2.compress(e), e),
    "lzma": lambda e: size_appended(lzma.compress(e, format=lzma.FORMAT_ALONE), e),
    "zstd": lambda e: size_appended(tool(["zstd", "-q", "-19", "-c"], e), e),
    "lz4": lambda e: size_appended(tool(["lz4", "-q", "-l", "-c"], e), e),
    "lzo": lambda e: size_appended(tool(["lzop", "-q", "-c"], e), e),
}
TOOLS = {"zstd": "zstd", "lz4": "lz4", "lzo": "lzop"}


def bzimage(payload, setup_sects=3):
    """A setup header that points at @payload, as arch/x86/boot/header.S lays it out."""
    head = bytearray((setup_sects + 1) * 512)
    head[0x1F1] = setup_sects
    head[0x202:0x206] = b"HdrS"
    offset = 0x3C0  # the payload starts this far into the protected-mode part
    struct.pack_into("<II", head, 0x248, offset, len(payload))
    return bytes(head) + b"\0" * offset + payload + b"\0" * 64


def extract(image, tmp, path_env=None):
    src, out = os.path.join(tmp, "bzImage"), os.path.join(tmp, "vmlinux")
    with open(src, "wb") as f:
        f.write(image)
    if os.path.exists(out):
        os.unlink(out)
    env = dict(os.environ, PATH=path_env) if path_env is not None else None
    done = subprocess.run([sys.executable, EXTRACT, src, out], capture_output=True, text=True,
                          env=env, check=False)
    got = open(out, "rb").read() if os.path.exists(out) else None
    return done.returncode, done.stderr.strip(), got


def main():
    rng = random.Random(1)
    # An ELF header and text that compresses somewhat, as a kernel's does.
    elf = b"\x7fELF\x02\x01\x01" + bytes(rng.choice(b"mymem\0\x90\xc3") for _ in range(200_000))
    with tempfile.TemporaryDirectory() as tmp:
        for name, compress in COMPRESS.items():
            if name in TOOLS and not shutil.which(TOOLS[name]):
                # Nothing to build the payload with here: then the message
                # for a missing tool is what there is to test.
                magic = {"lzo": b"\x89LZO\x00\r\n\x1a\n"}.get(name, b"")
                if not magic:
                    result(False, name, f"{TOOLS[name]} is missing: it is in scripts/apt-packages")
                    continue
                st, err, _ = extract(bzimage(magic + b"\0" * 64), tmp)
                result(st != 0 and f"install {TOOLS[name]}" in err, f"{name}-tool-missing-named",
                       err if st else "exit 0")
                continue
            st, err, got = extract(bzimage(compress(elf)), tmp)
            result(st == 0 and got == elf, name, err or f"{len(elf)} bytes back")
        # zstd installed but not on PATH: the message names the package.
        if shutil.which("zstd"):
            st, err, _ = extract(bzimage(COMPRESS["zstd"](elf)), tmp, path_env="/nonexistent")
            result(st != 0 and "install zstd" in err, "zstd-tool-missing-named", err or "exit 0")
        st, err, _ = extract(bzimage(b"\x01\x02\x03\x04" + b"\0" * 100), tmp)
        result(st != 0 and "none the kernel compresses with" in err and "01 02 03 04" in err,
               "unknown-format-named", err or "exit 0")
        bad = bytearray(COMPRESS["xz"](elf))
        struct.pack_into("<I", bad, len(bad) - 4, 12345)
        st, err, _ = extract(bzimage(bytes(bad)), tmp)
        result(st != 0 and "size trailer" in err, "size-trailer-checked", err or "exit 0")
        st, err, _ = extract(b"MZ" + b"\0" * 4000, tmp)
        result(st != 0 and "not an x86 bzImage" in err, "not-a-bzimage", err or "exit 0")
        st, err, _ = extract(bzimage(COMPRESS["gzip"](b"not an ELF at all" * 100)), tmp)
        result(st != 0 and "not an ELF image" in err, "payload-not-elf", err or "exit 0")
    # The kernels installed: each gives an ELF with .BTF (make does this for
    # every guest kernel; here each format Debian uses is seen for real).
    for image in sorted(glob.glob("/boot/vmlinuz-*")):
        ver = image[len("/boot/vmlinuz-"):]
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "vmlinux")
            done = subprocess.run([sys.executable, EXTRACT, image, out], capture_output=True,
                                  text=True, check=False)
            sections = subprocess.run(["readelf", "-S", out], capture_output=True, text=True,
                                      check=False).stdout if done.returncode == 0 else ""
            with open(image, "rb") as f:
                data = f.read()
            start = (data[0x1F1] + 1) * 512 + struct.unpack_from("<I", data, 0x248)[0]
            fmt = next((n for n, m in (("xz", b"\xfd7zXZ"), ("zstd", b"\x28\xb5\x2f\xfd"),
                                       ("gzip", b"\x1f\x8b")) if data[start:].startswith(m)),
                       data[start:start + 4].hex())
            result(done.returncode == 0 and ".BTF" in sections, f"installed-{ver}",
                   f"{fmt}, {os.path.getsize(out) >> 20} MiB with .BTF" if done.returncode == 0
                   else done.stderr.strip())
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
