/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Taking the probes' own cost out of a row, as TAU compensates for its
 * instrumentation (Malony and Shende) and KUtrace for its own events.
 *
 * Each probe takes one timestamp: what it spends before the timestamp
 * lands in the part it closes, what it spends after, in the part it opens.
 * The calibration (collect/calibrate.c) measures, per call on each path:
 *   syscall path: edge_ns, what sys_enter and sys_exit add inside the window
 *     (a null syscall's whole window), and inner_ns, what the module-function
 *     and copy probes add (a 1-byte read's extra cost over the null syscall's,
 *     untraced and traced). The edges' share lands in dispatch; each inner
 *     probe's is taken as inner_ns over the number of inner probes, half on
 *     either side of its timestamp: dispatch, buffer and copy each lose what
 *     the probes around them cost. They fire once per entry of the handler
 *     (a vectored call's segments each pass them); a call of the handler
 *     outside the followed syscalls has no edges, and no dispatch.
 *   kernel path: kernel_probe_ns, the traced window minus the untraced
 *     in-kernel time of the same kernel read; it lands in buffer.
 * Lock-wait and off-CPU probes, and the mmap path's, are not compensated.
 */
#ifndef MYMEMTRACE_MODEL_COMPENSATE_H
#define MYMEMTRACE_MODEL_COMPENSATE_H

#include "model/agg_row.h"
#include "model/breakdown.h"
#include "model/targets.h"

/*
 * @row with the probes' cost taken out: parts, total, min, max and the
 * histograms shift; no part goes below zero (what one cannot give comes
 * out of the others), and the parts still sum to the total. Returns
 * whether anything was subtracted.
 */
bool compensate_row(const struct calibration *cal, const struct run_target *targets,
		    struct agg_row *row);

/*
 * One call's record (--events, --trace): its parts and its total, with the
 * probes' cost taken out where @cal says so (NULL, or --raw: as measured).
 */
void compensate_event(const struct calibration *cal, const struct run_target *targets,
		      const struct mt_event *e, uint64_t part_ns[MT_NR_PARTS], uint64_t *total_ns);

/*
 * The ns per 1-byte read taken out on each path by the compensation
 * (cal->taken_out_ns, which the report's header and the JSON say), once
 * the calibration and what was attached are known.
 */
void compensation_settle(struct calibration *cal, const struct run_target *targets);

#endif /* MYMEMTRACE_MODEL_COMPENSATE_H */
