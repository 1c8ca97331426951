/* SPDX-License-Identifier: MIT */
/* The record kinds of tn-events(5): the values of the "type" member. */
#pragma once

/*
 * Here rather than in lib/events/events.h because libtn writes "span"
 * records and links only lib/common; events.h includes this file.
 */
#define TN_EV_HEADER  "header"
#define TN_EV_SYSCALL "syscall"
#define TN_EV_PROC    "proc"
#define TN_EV_EXEC    "exec"
#define TN_EV_EXIT    "exit"
#define TN_EV_SIGNAL  "signal"
#define TN_EV_SPAN    "span"
#define TN_EV_SUMMARY "summary"
#define TN_EV_RESULT  "result"
#define TN_EV_ERROR   "error"
#define TN_EV_FINDING "finding"     /* tn-compare */
