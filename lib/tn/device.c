/* SPDX-License-Identifier: MIT */
/* tn-device.h: the device backend's status (and, with OpenCL, what opencl/ does). */
#include <errno.h>

#include "internal.h"
#include "tn/tn-device.h"
#if TN_HAVE_OPENCL
#include "opencl/cl.h"
#endif

int tn_device_status(const char **ret_text)
{
#if TN_HAVE_OPENCL
	int r = tn__device_caps() & TN__CAP_OPENCL ? 0 : -ENODEV;

	if (ret_text)
		*ret_text = tn__cl_why();
	return r;
#else
	if (ret_text)
		*ret_text = "libtn was built without OpenCL (-Dopencl=disabled, or no OpenCL headers)";
	return -ENODEV;
#endif
}
