/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run as a self-contained SVG: per size, the paths' mean cost as
 * stacked bars of their parts on a log scale, then every row's latency
 * histogram. No scripts, fonts or links: it opens in any browser.
 */
#ifndef MYMEMTRACE_RENDER_SVG_H
#define MYMEMTRACE_RENDER_SVG_H

#include <stdio.h>

#include "model/run.h"

void svg_render(FILE *out, const struct run *run);

#endif /* MYMEMTRACE_RENDER_SVG_H */
