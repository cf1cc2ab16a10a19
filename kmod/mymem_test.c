// SPDX-License-Identifier: GPL-2.0
/*
 * mymem_test: the in-kernel benchmark of mymem. It reaches the buffer
 * through mymem's kernel API, from kernel threads, so that its times can be
 * set beside those of the syscall and mmap paths.
 *
 * /dev/mymem_test runs it on demand (MYMEM_TEST_IOC_TIMING and
 * MYMEM_TEST_IOC_RACE, see uapi/mymem.h) and hands the results back. With
 * run_on_load=1 it also runs once at load, as the course module did, and
 * logs the course's table.
 *
 * mymem must be loaded first. Its symbols are weak imports here, so loading
 * this module alone fails with a message that says so instead of
 * "Unknown symbol".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#define MYMEM_WEAK_IMPORT

#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "mymem.h"
#include "uapi/mymem.h"

#define RACE_INITIAL	0xdeadbeefULL
#define MAX_LOAD_SIZES	16

static bool run_on_load;
module_param(run_on_load, bool, 0444);
MODULE_PARM_DESC(run_on_load, "Run the timing and race benchmarks at load and log them");

static unsigned long sizes[MAX_LOAD_SIZES] = { 1, 64, 1024, 65536, 524288 };
static int nr_sizes = 5;
module_param_array(sizes, ulong, &nr_sizes, 0444);
MODULE_PARM_DESC(sizes, "Sizes for run_on_load (default 1,64,1024,65536,524288)");

static unsigned int trials = 1024;
module_param(trials, uint, 0444);
MODULE_PARM_DESC(trials, "Timing trials per size for run_on_load (default 1024)");

static unsigned int workers = 50;
module_param(workers, uint, 0444);
MODULE_PARM_DESC(workers, "Race threads for run_on_load (default 50)");

static unsigned long iterations = 150000;
module_param(iterations, ulong, 0444);
MODULE_PARM_DESC(iterations, "Increments per race thread for run_on_load (default 150000)");

static unsigned int race_trials = 3;
module_param(race_trials, uint, 0444);
MODULE_PARM_DESC(race_trials, "Race trials per lock variant for run_on_load (default 3)");

/* One benchmark at a time: they share mymem's counter and buffer. */
static DEFINE_MUTEX(run_lock);

/*
 * Timing: @nr_trials trials of a write then a read of @size bytes at offset
 * 0. samples[i] is the i-th write time, samples[nr_trials + i] the i-th
 * read time, in ns. Returns the number of trials whose data did not read
 * back, or a negative errno.
 */
static long timing_run(size_t size, u32 nr_trials, u64 *samples)
{
	u8 *src, *dst;
	long mismatches = 0;
	u32 i;

	if (!size || size > mymem_kernel_size())
		return -EINVAL;
	src = kvmalloc(size, GFP_KERNEL);
	dst = kvmalloc(size, GFP_KERNEL);
	if (!src || !dst) {
		mismatches = -ENOMEM;
		goto out_free;
	}

	for (i = 0; i < nr_trials; i++) {
		ssize_t wrote, got;
		u64 t0, t1, t2;

		/* A pattern new to each trial, so stale data cannot pass. */
		memset(src, (u8)(i * 31 + size), size);
		memset(dst, ~src[0], size);

		t0 = ktime_get_ns();
		wrote = mymem_kernel_write(src, size, 0);
		t1 = ktime_get_ns();
		got = mymem_kernel_read(dst, size, 0);
		t2 = ktime_get_ns();

		if (wrote < 0 || got < 0) {
			mismatches = wrote < 0 ? wrote : got;
			goto out_free;
		}
		samples[i] = t1 - t0;
		samples[nr_trials + i] = t2 - t1;
		if (wrote != size || got != size || memcmp(src, dst, size))
			mismatches++;
		cond_resched();
	}

out_free:
	kvfree(src);
	kvfree(dst);
	return mismatches;
}

struct race {
	u32 lock;			/* enum mymem_test_lock */
	u64 iterations;
	struct mutex counter_lock;	/* for MYMEM_TEST_LOCK_MUTEX */
	struct completion start;	/* released once all threads exist */
	atomic_t running;
	struct completion all_done;
	atomic_t errors;		/* failed mymem calls */
	bool abort;			/* set when not all threads started */
	u64 *samples;			/* NULL, or reads' then writes' times */
	u64 nr_calls;			/* reads (and writes): workers * iterations */
	atomic_t next_worker;		/* hands each worker its row of samples */
};

/*
 * The course's racy increment: read, add one, write back. With samples,
 * each call is timed into @times[0] (the read) and @times[1] (the write).
 */
static int race_read_modify_write(u64 *times[2])
{
	u64 value, t0, t1, t2;
	ssize_t got, wrote;

	t0 = ktime_get_ns();
	got = mymem_kernel_read(&value, sizeof(value), 0);
	t1 = ktime_get_ns();
	if (got != sizeof(value))
		return -EIO;
	value++;
	wrote = mymem_kernel_write(&value, sizeof(value), 0);
	t2 = ktime_get_ns();
	if (wrote != sizeof(value))
		return -EIO;
	if (times[0]) {
		*times[0] = t1 - t0;
		*times[1] = t2 - t1;
	}
	return 0;
}

static int race_increment(struct race *race, u64 *times[2])
{
	u64 value;
	int ret;

	switch (race->lock) {
	case MYMEM_TEST_LOCK_MUTEX:
		mutex_lock(&race->counter_lock);
		ret = race_read_modify_write(times);
		mutex_unlock(&race->counter_lock);
		return ret;
	case MYMEM_TEST_LOCK_ATOMIC:
		return mymem_kernel_add_u64(0, 1, &value);
	default:
		return race_read_modify_write(times);
	}
}

static int race_worker(void *data)
{
	struct race *race = data;
	u64 *times[2] = { NULL, NULL };
	u64 i, first = 0;

	wait_for_completion(&race->start);
	if (race->samples)
		first = (u64)(atomic_inc_return(&race->next_worker) - 1) * race->iterations;
	for (i = 0; i < race->iterations && !READ_ONCE(race->abort); i++) {
		if (race->samples) {
			times[0] = &race->samples[first + i];
			times[1] = &race->samples[race->nr_calls + first + i];
		}
		if (race_increment(race, times))
			atomic_inc(&race->errors);
		cond_resched();
	}
	if (atomic_dec_and_test(&race->running))
		complete(&race->all_done);

	/*
	 * Stay until kthread_stop(): the thread then returns into kthread()
	 * and no code of this module runs once race_run() has returned.
	 */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static void race_stop_threads(struct task_struct **threads, u32 n)
{
	while (n--)
		kthread_stop(threads[n]);
}

static int race_run(struct mymem_test_race *arg)
{
	struct task_struct **threads;
	struct race race = {
		.lock = arg->lock,
		.iterations = arg->iterations,
	};
	u64 t0, counter = arg->initial;
	int ret = 0;
	u32 i;

	if (!arg->workers || arg->workers > MYMEM_TEST_MAX_WORKERS ||
	    !arg->iterations || arg->lock > MYMEM_TEST_LOCK_ATOMIC)
		return -EINVAL;
	if (arg->samples_ptr) {
		/* Only the read-then-write races make the calls timed. */
		if (arg->lock == MYMEM_TEST_LOCK_ATOMIC ||
		    arg->iterations > MYMEM_TEST_MAX_TRIALS / arg->workers)
			return -EINVAL;
		race.nr_calls = (u64)arg->workers * arg->iterations;
		race.samples = kvcalloc(2 * race.nr_calls, sizeof(*race.samples), GFP_KERNEL);
		if (!race.samples)
			return -ENOMEM;
	}
	threads = kcalloc(arg->workers, sizeof(*threads), GFP_KERNEL);
	if (!threads) {
		kvfree(race.samples);
		return -ENOMEM;
	}

	mutex_init(&race.counter_lock);
	init_completion(&race.start);
	init_completion(&race.all_done);
	atomic_set(&race.running, arg->workers);
	atomic_set(&race.errors, 0);
	atomic_set(&race.next_worker, 0);

	if (mymem_kernel_write(&counter, sizeof(counter), 0) != sizeof(counter)) {
		ret = -EIO;
		goto out_free;
	}

	for (i = 0; i < arg->workers; i++) {
		threads[i] = kthread_create(race_worker, &race, "mymem_race/%u", i);
		if (IS_ERR(threads[i])) {
			ret = PTR_ERR(threads[i]);
			/* Release the threads already waiting, then reap them. */
			WRITE_ONCE(race.abort, true);
			complete_all(&race.start);
			race_stop_threads(threads, i);
			goto out_free;
		}
		wake_up_process(threads[i]);
	}

	t0 = ktime_get_ns();
	complete_all(&race.start);
	wait_for_completion(&race.all_done);
	arg->elapsed_ns = ktime_get_ns() - t0;
	race_stop_threads(threads, arg->workers);

	if (atomic_read(&race.errors) ||
	    mymem_kernel_read(&counter, sizeof(counter), 0) != sizeof(counter)) {
		ret = -EIO;
		goto out_free;
	}
	arg->final = counter;
	arg->expected = (u64)arg->workers * arg->iterations;
	arg->observed = counter - arg->initial;
	if (race.samples &&
	    copy_to_user(u64_to_user_ptr(arg->samples_ptr), race.samples,
			 2 * race.nr_calls * sizeof(*race.samples)))
		ret = -EFAULT;

out_free:
	kvfree(race.samples);
	kfree(threads);
	return ret;
}

static long mymem_test_ioctl_timing(struct mymem_test_timing __user *uarg)
{
	struct mymem_test_timing arg;
	u64 *samples;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (!arg.trials || arg.trials > MYMEM_TEST_MAX_TRIALS)
		return -EINVAL;
	samples = kvmalloc_array(2 * arg.trials, sizeof(*samples), GFP_KERNEL);
	if (!samples)
		return -ENOMEM;

	ret = timing_run(arg.size, arg.trials, samples);
	if (ret < 0)
		goto out_free;
	arg.mismatches = ret;
	ret = 0;
	if (copy_to_user(u64_to_user_ptr(arg.samples_ptr), samples,
			 2 * arg.trials * sizeof(*samples)) ||
	    put_user(arg.mismatches, &uarg->mismatches))
		ret = -EFAULT;

out_free:
	kvfree(samples);
	return ret;
}

static long mymem_test_ioctl_race(struct mymem_test_race __user *uarg)
{
	struct mymem_test_race arg;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	ret = race_run(&arg);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}

static long mymem_test_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	long ret;

	if (mutex_lock_interruptible(&run_lock))
		return -EINTR;
	switch (cmd) {
	case MYMEM_TEST_IOC_TIMING:
		ret = mymem_test_ioctl_timing(uarg);
		break;
	case MYMEM_TEST_IOC_RACE:
		ret = mymem_test_ioctl_race(uarg);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	mutex_unlock(&run_lock);
	return ret;
}

static const struct file_operations mymem_test_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= mymem_test_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice mymem_test_misc = {
	.minor		= MISC_DYNAMIC_MINOR,
	.name		= "mymem_test",
	.fops		= &mymem_test_fops,
	.mode		= 0600,
};

static u64 mean_ns(const u64 *samples, u32 n)
{
	u64 sum = 0;
	u32 i;

	for (i = 0; i < n; i++)
		sum += samples[i];
	return div_u64(sum, n);
}

/* The course's table, logged once per load: size, read and write means. */
static void log_timing_table(void)
{
	u64 *samples;
	int i;

	if (!trials || trials > MYMEM_TEST_MAX_TRIALS)
		return;
	samples = kvmalloc_array(2 * trials, sizeof(*samples), GFP_KERNEL);
	if (!samples)
		return;
	pr_info("%10s %14s %14s (n=%u, mean ns)\n", "size", "read", "write",
		trials);
	for (i = 0; i < nr_sizes; i++) {
		long ret = timing_run(sizes[i], trials, samples);

		if (ret)
			pr_info("%10lu failed: %ld\n", sizes[i], ret);
		else
			pr_info("%10lu %14llu %14llu\n", sizes[i],
				mean_ns(samples + trials, trials),
				mean_ns(samples, trials));
	}
	kvfree(samples);
}

static void log_race_runs(void)
{
	static const char * const names[] = { "none", "mutex", "atomic" };
	struct mymem_test_race arg;
	u32 lock, t;

	for (lock = MYMEM_TEST_LOCK_NONE; lock <= MYMEM_TEST_LOCK_ATOMIC; lock++) {
		for (t = 0; t < race_trials; t++) {
			arg = (struct mymem_test_race) {
				.workers = workers,
				.lock = lock,
				.iterations = iterations,
				.initial = RACE_INITIAL,
			};
			if (race_run(&arg)) {
				pr_info("race lock=%s: failed\n", names[lock]);
				continue;
			}
			pr_info("race lock=%s trial %u: expected %llu observed %llu (%llu ms)\n",
				names[lock], t, arg.expected, arg.observed,
				div_u64(arg.elapsed_ns, NSEC_PER_MSEC));
		}
	}
}

static int __init mymem_test_init(void)
{
	if (!mymem_kernel_read || !mymem_kernel_write ||
	    !mymem_kernel_add_u64 || !mymem_kernel_size) {
		pr_err("mymem is not loaded: load mymem.ko before mymem_test.ko\n");
		return -ENODEV;
	}
	if (run_on_load) {
		mutex_lock(&run_lock);
		log_timing_table();
		log_race_runs();
		mutex_unlock(&run_lock);
	}
	return misc_register(&mymem_test_misc);
}

static void __exit mymem_test_exit(void)
{
	misc_deregister(&mymem_test_misc);
}

module_init(mymem_test_init);
module_exit(mymem_test_exit);

MODULE_DESCRIPTION("mymem_test: in-kernel benchmark of mymem's kernel API");
MODULE_AUTHOR("mymemtrace developers");
MODULE_LICENSE("GPL");
