/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mymemtrace validate: how far to trust the tracer on this machine. It runs
 * mymem-bench's shapes (syscall and kernel paths, reads and writes, a
 * spread of sizes) untraced and under mymemtrace, interleaved round by
 * round, and prints per (path, op, size) the traced answer beside the
 * untraced one and the error, then the same for the user/kernel ratio.
 * Exits 1 when an error exceeds the threshold.
 */
#ifndef MYMEMTRACE_CLI_VALIDATE_H
#define MYMEMTRACE_CLI_VALIDATE_H

int validate_main(int argc, char **argv);

#endif /* MYMEMTRACE_CLI_VALIDATE_H */
