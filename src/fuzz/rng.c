// SPDX-License-Identifier: GPL-2.0
/*
 * One xorshift64* stream per thread, seeded from the run's seed and the
 * thread's index: a thread's sequence of operations depends on the seed
 * alone, so a failure replays with the same --seed.
 */
#include "fuzz.h"

uint64_t fuzz_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

uint64_t fuzz_below(uint64_t *state, uint64_t n)
{
	return n ? fuzz_rand(state) % n : 0;
}

bool fuzz_chance(uint64_t *state, unsigned int percent)
{
	return fuzz_below(state, 100) < percent;
}
