// SPDX-License-Identifier: GPL-2.0
/*
 * mymem: a misc character device, /dev/mymem, over a zeroed, page-backed
 * kernel buffer (512 KiB by default).
 *
 * read(2), write(2), llseek(2), ioctl(2) and mmap(2) reach the buffer from
 * user space; mymem_kernel_*() reach it from kernel code. One mutex makes
 * every read, write, reset and add atomic with respect to the others, on
 * both paths. Nothing is logged per call except through pr_debug (dynamic
 * debug), because per-call printk made up most of the course driver's
 * latency.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/vmalloc.h>

#include "mymem.h"
#include "uapi/mymem.h"

/* Larger buffers are possible but serve no benchmark; keep vmalloc sane. */
#define MYMEM_MAX_SIZE	(256UL << 20)

static unsigned long size = MYMEM_DEFAULT_SIZE;
module_param(size, ulong, 0444);
MODULE_PARM_DESC(size, "Buffer size in bytes, a multiple of PAGE_SIZE (default 524288)");

struct mymem_dev {
	struct miscdevice misc;
	struct mutex lock;	/* serialises every access to @buf */
	u8 *buf;		/* vmalloc_user(): zeroed, page-backed */
	size_t size;
};

static struct mymem_dev mymem;

static struct mymem_dev *file_to_mymem(struct file *file)
{
	/* misc_open() points private_data at our struct miscdevice. */
	return container_of(file->private_data, struct mymem_dev, misc);
}

/*
 * How many of @len bytes at @pos fall inside the buffer: the short count
 * for an access that crosses the end, 0 at or past the end.
 */
static size_t mymem_span(const struct mymem_dev *dev, size_t len, loff_t pos)
{
	if (pos < 0 || pos >= dev->size)
		return 0;
	return min_t(size_t, len, dev->size - pos);
}

/*
 * The user copies, out of line and exported, so that a tracer can time
 * them: on some kernels (Debian's 6.1) _copy_to_user and _copy_from_user
 * take neither fentry nor kprobes. A call and a return are their cost.
 */
noinline size_t mymem_copy_to_user(void __user *to, const void *from, size_t n)
{
	return copy_to_user(to, from, n);
}
EXPORT_SYMBOL_GPL(mymem_copy_to_user);

noinline size_t mymem_copy_from_user(void *to, const void __user *from, size_t n)
{
	/*
	 * Not copy_from_user(): it zero-fills the bytes it could not read, so
	 * a write that faults would change bytes it reports as not written.
	 * Here a failed write changes nothing and a short one changes exactly
	 * the bytes it counts.
	 */
	if (!access_ok(from, n))
		return n;
	return __copy_from_user(to, from, n);
}
EXPORT_SYMBOL_GPL(mymem_copy_from_user);

static ssize_t mymem_read(struct file *file, char __user *ubuf, size_t len,
			  loff_t *ppos)
{
	struct mymem_dev *dev = file_to_mymem(file);
	loff_t pos = *ppos;
	size_t n = mymem_span(dev, len, pos);
	size_t not_copied;

	pr_debug("read %zu at %lld\n", len, pos);
	if (pos < 0)
		return -EINVAL;
	if (!n)
		return 0;

	mutex_lock(&dev->lock);
	not_copied = mymem_copy_to_user(ubuf, dev->buf + pos, n);
	mutex_unlock(&dev->lock);

	/* A fault part way is a short read; a fault at once is -EFAULT. */
	if (not_copied == n)
		return -EFAULT;
	n -= not_copied;
	*ppos = pos + n;
	return n;
}

static ssize_t mymem_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	struct mymem_dev *dev = file_to_mymem(file);
	loff_t pos = *ppos;
	size_t n = mymem_span(dev, len, pos);
	size_t not_copied;

	pr_debug("write %zu at %lld\n", len, pos);
	if (pos < 0)
		return -EINVAL;
	if (!len)
		return 0;
	if (!n)
		return -ENOSPC;

	/* On a fault part way, only the bytes counted are written. */
	mutex_lock(&dev->lock);
	not_copied = mymem_copy_from_user(dev->buf + pos, ubuf, n);
	mutex_unlock(&dev->lock);

	if (not_copied == n)
		return -EFAULT;
	n -= not_copied;
	*ppos = pos + n;
	return n;
}

static loff_t mymem_llseek(struct file *file, loff_t offset, int whence)
{
	/* SEEK_SET/CUR/END; a result outside [0, size] is -EINVAL. */
	return fixed_size_llseek(file, offset, whence, file_to_mymem(file)->size);
}

static u64 *mymem_counter(struct mymem_dev *dev, loff_t pos)
{
	if (pos < 0 || !IS_ALIGNED(pos, sizeof(u64)) ||
	    pos > dev->size - sizeof(u64))
		return NULL;
	return (u64 *)(dev->buf + pos);
}

static int mymem_add_u64(struct mymem_dev *dev, loff_t pos, u64 delta,
			 u64 *result)
{
	u64 *counter = mymem_counter(dev, pos);

	if (!counter)
		return -EINVAL;
	mutex_lock(&dev->lock);
	*counter += delta;
	*result = *counter;
	mutex_unlock(&dev->lock);
	return 0;
}

/*
 * All or nothing: the result is stored in user memory before the counter
 * is, under the lock, so an unwritable result leaves the counter as it was.
 * A fault here may sleep; the fault path takes no mymem lock.
 */
static long mymem_ioctl_add_u64(struct mymem_dev *dev,
				struct mymem_add_u64 __user *uarg)
{
	struct mymem_add_u64 arg;
	u64 *counter;
	u64 result;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.offset > LLONG_MAX)
		return -EINVAL;
	counter = mymem_counter(dev, arg.offset);
	if (!counter)
		return -EINVAL;

	mutex_lock(&dev->lock);
	result = *counter + arg.delta;
	ret = put_user(result, &uarg->result);
	if (!ret)
		*counter = result;
	mutex_unlock(&dev->lock);
	return ret;
}

static long mymem_ioctl_reset(struct mymem_dev *dev)
{
	mutex_lock(&dev->lock);
	memset(dev->buf, 0, dev->size);
	mutex_unlock(&dev->lock);
	return 0;
}

/*
 * Timed calls of the kernel API from this thread, so that a tracer can
 * measure what its probes add to a kernel-path call: the same call timed
 * the same way untraced and traced. Reads only, into a scratch buffer.
 */
static long mymem_ioctl_time_kernel_read(struct mymem_dev *dev,
					 struct mymem_time_kernel_read __user *uarg)
{
	struct mymem_time_kernel_read arg;
	u64 __user *samples;
	long ret = 0;
	u64 i, *ns;
	void *dst;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (mymem_span(dev, arg.size, arg.pos) > MYMEM_TIME_MAX_SIZE ||
	    !arg.calls || arg.calls > MYMEM_TIME_MAX_CALLS)
		return -EINVAL;
	samples = u64_to_user_ptr(arg.samples_ptr);
	dst = kmalloc(MYMEM_TIME_MAX_SIZE, GFP_KERNEL);
	ns = kvmalloc_array(arg.calls, sizeof(*ns), GFP_KERNEL);
	if (!dst || !ns) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < arg.calls; i++) {
		u64 t0 = ktime_get_ns();
		ssize_t got = mymem_kernel_read(dst, arg.size, arg.pos);

		ns[i] = ktime_get_ns() - t0;
		if (got < 0) {
			ret = got;
			goto out;
		}
	}
	if (copy_to_user(samples, ns, arg.calls * sizeof(*ns)))
		ret = -EFAULT;
out:
	kvfree(ns);
	kfree(dst);
	return ret;
}

static long mymem_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct mymem_dev *dev = file_to_mymem(file);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case MYMEM_IOC_GET_SIZE:
		return put_user((u64)dev->size, (u64 __user *)uarg);
	case MYMEM_IOC_RESET:
		return mymem_ioctl_reset(dev);
	case MYMEM_IOC_ADD_U64:
		return mymem_ioctl_add_u64(dev, uarg);
	case MYMEM_IOC_TIME_KERNEL_READ:
		return mymem_ioctl_time_kernel_read(dev, uarg);
	default:
		return -ENOTTY;
	}
}

/*
 * Pages are mapped one by one on first touch rather than all at mmap()
 * time, so the mmap path has page faults that a tracer can count and time.
 * The fault takes no mymem lock: read() may fault on a mapping of this very
 * buffer while holding it.
 */
static vm_fault_t mymem_vm_fault(struct vm_fault *vmf)
{
	struct mymem_dev *dev = vmf->vma->vm_private_data;
	unsigned long offset = vmf->pgoff << PAGE_SHIFT;
	struct page *page;

	if (offset >= dev->size)
		return VM_FAULT_SIGBUS;
	page = vmalloc_to_page(dev->buf + offset);
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct mymem_vm_ops = {
	.fault		= mymem_vm_fault,
};

static int mymem_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct mymem_dev *dev = file_to_mymem(file);
	unsigned long pages = vma_pages(vma);
	unsigned long buf_pages = dev->size >> PAGE_SHIFT;

	/*
	 * Shared only: a private mapping would copy, not reach the buffer.
	 * VM_MAYSHARE, not VM_SHARED: mmap() clears VM_SHARED on a shared
	 * mapping of a file opened read-only, which must still work.
	 */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_pgoff >= buf_pages || pages > buf_pages - vma->vm_pgoff)
		return -EINVAL;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
#else
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
#endif
	vma->vm_private_data = dev;
	vma->vm_ops = &mymem_vm_ops;
	return 0;
}

static const struct file_operations mymem_fops = {
	.owner		= THIS_MODULE,
	.read		= mymem_read,
	.write		= mymem_write,
	.llseek		= mymem_llseek,
	.unlocked_ioctl	= mymem_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= mymem_mmap,
};

/* Out of line: the timing ioctl above must call it as other modules do. */
noinline ssize_t mymem_kernel_read(void *dst, size_t len, loff_t pos)
{
	size_t n = mymem_span(&mymem, len, pos);

	if (pos < 0)
		return -EINVAL;
	mutex_lock(&mymem.lock);
	memcpy(dst, mymem.buf + pos, n);
	mutex_unlock(&mymem.lock);
	return n;
}
EXPORT_SYMBOL_GPL(mymem_kernel_read);

ssize_t mymem_kernel_write(const void *src, size_t len, loff_t pos)
{
	size_t n = mymem_span(&mymem, len, pos);

	if (pos < 0)
		return -EINVAL;
	if (!len)
		return 0;
	if (!n)
		return -ENOSPC;
	mutex_lock(&mymem.lock);
	memcpy(mymem.buf + pos, src, n);
	mutex_unlock(&mymem.lock);
	return n;
}
EXPORT_SYMBOL_GPL(mymem_kernel_write);

int mymem_kernel_add_u64(loff_t pos, u64 delta, u64 *result)
{
	return mymem_add_u64(&mymem, pos, delta, result);
}
EXPORT_SYMBOL_GPL(mymem_kernel_add_u64);

size_t mymem_kernel_size(void)
{
	return mymem.size;
}
EXPORT_SYMBOL_GPL(mymem_kernel_size);

static int __init mymem_init(void)
{
	int ret;

	if (!size || !PAGE_ALIGNED(size) || size > MYMEM_MAX_SIZE) {
		pr_err("size=%lu: must be a multiple of %lu, at most %lu\n",
		       size, PAGE_SIZE, MYMEM_MAX_SIZE);
		return -EINVAL;
	}

	mutex_init(&mymem.lock);
	mymem.size = size;
	mymem.buf = vmalloc_user(size);
	if (!mymem.buf)
		return -ENOMEM;

	mymem.misc.minor = MISC_DYNAMIC_MINOR;
	mymem.misc.name = "mymem";
	mymem.misc.fops = &mymem_fops;
	mymem.misc.mode = 0666;
	ret = misc_register(&mymem.misc);
	if (ret)
		goto out_free_buffer;

	pr_info("/dev/mymem ready, %zu bytes\n", mymem.size);
	return 0;

out_free_buffer:
	vfree(mymem.buf);
	return ret;
}

static void __exit mymem_exit(void)
{
	misc_deregister(&mymem.misc);
	vfree(mymem.buf);
}

module_init(mymem_init);
module_exit(mymem_exit);

MODULE_DESCRIPTION("mymem: a misc device over a kernel buffer, with a kernel API");
MODULE_AUTHOR("mymemtrace developers");
MODULE_LICENSE("GPL");
