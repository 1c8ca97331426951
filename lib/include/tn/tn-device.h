/* SPDX-License-Identifier: MIT */
/* libtn's device (GPU) backend: its status, and data kept on the device (libtn(3), DEVICE). */
#pragma once

#include <stddef.h>

#include "tn/tn.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Probes the OpenCL device (once per process: the ICD loader, the first GPU
 * of any platform, else the first device, its program built or loaded from
 * the cache) and returns 0 when it is usable, -ENODEV when not.  *ret_text
 * (may be NULL) gets a static string: the device ("Portable Computing
 * Language: pthread-... (OpenCL 3.0 ..., driver 3.1)"), or why there is none
 * ("no OpenCL platform ...", "built without OpenCL").
 */
int tn_device_status(const char **ret_text);

#ifdef __cplusplus
}
#endif
