#!/bin/sh
# calibration.sh TN_DISPATCH: --calibrate writes a format-3 file with a rate
# per class and per math operation, --list-backends shows it; a format-1 file (before the classes)
# is ignored and --list-backends says why; under TN_OPENCL=auto a
# hand-written calibration where the device wins the math class only lists
# the math operations, and only them, as opencl.  In a fresh XDG_CACHE_HOME
# (the compiled programs copied in, when there are some, to skip a
# rebuild).  Exit 77 where no OpenCL device exists.
set -u
dispatch=$1
if ! "$dispatch" --list-backends 2>/dev/null | grep -q '^opencl  *yes'; then
	echo "no OpenCL device: skipped"
	exit 77
fi
from=${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/tn/opencl
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/tn/opencl" && chmod 700 "$tmp/tn" "$tmp/tn/opencl" || exit 1
cp "$from"/*.bin "$tmp/tn/opencl/" 2>/dev/null
XDG_CACHE_HOME=$tmp
export XDG_CACHE_HOME
file=$tmp/tn/opencl/calibration
fail=0
no() { echo "FAIL: $*"; fail=1; }
# the operations' backends under auto, "op backend" a line
backends() { TN_OPENCL=auto "$dispatch" --list-backends | sed -n '/^operation /,$p' | tail -n +2; }

"$dispatch" --list-backends > "$tmp/out" || no "--list-backends without a file: exit $?"
grep -q '^no calibration (none saved)' "$tmp/out" || { no "without a file"; cat "$tmp/out"; }

"$dispatch" --calibrate > "$tmp/out" || no "--calibrate: exit $?"
grep -qx 'format 3' "$file" || no "--calibrate wrote no 'format 3' line"
for k in launch_ns upload_bps download_bps stream_device_bps stream_cpu_bps math_device_bps \
	 math_cpu_bps reduce_device_bps reduce_cpu_bps matmul_device_flops matmul_cpu_flops \
	 exp_cpu_bps exp_device_bps pow_cpu_bps pow_device_bps elu_cpu_bps elu_device_bps; do
	grep -q "^$k [0-9]" "$file" || no "--calibrate wrote no $k"
done
device=$(sed -n 's/^device //p' "$file")
"$dispatch" --list-backends > "$tmp/out" || no "--list-backends: exit $?"
for l in 'stream (add): device, CPU' 'math (tanh): device, CPU' 'reduce (sum): device, CPU' \
	 '  exp: device, CPU' '  pow: device, CPU      '; do
	grep -qF "  $l" "$tmp/out" || { no "--list-backends shows no '$l'"; cat "$tmp/out"; }
done

# Format 1, with rates that would send everything to the device if misread.
printf '# old\ndevice %s\nlaunch_ns 1\nupload_bps 1e15\ndownload_bps 1e15\ndevice_stream_bps 1e15\ncpu_stream_bps 1e6\ndevice_flops 1e15\ncpu_flops 1e6\n' \
	"$device" > "$file"
TN_OPENCL=auto "$dispatch" --list-backends > "$tmp/out" || no "--list-backends, format 1: exit $?"
grep -q '^no calibration (the saved one is not of format 3, an older libtn.s: ignored)' "$tmp/out" ||
	{ no "format 1 not reported as ignored"; cat "$tmp/out"; }
backends | grep -q ' opencl$' && no "format 1 sent an operation to the device"

# The device wins the math class only (slow link, slow CPU math), but
# for exp, fast on this CPU.
math='launch_ns 10000\nupload_bps 1e10\ndownload_bps 1e10\nstream_device_bps 1e12\nstream_cpu_bps 3e10\nmath_device_bps 1e12\nmath_cpu_bps 1e9\nreduce_device_bps 1e12\nreduce_cpu_bps 3e10\nmatmul_device_flops 1e9\nmatmul_cpu_flops 1e11\n'
ops='log log2 log10 pow elu selu sigmoid tanh gelu gelu_tanh swish mish'
{ printf "format 3\ndevice %s\n$math" "$device"; echo exp_cpu_bps 3e10
  for op in $ops; do echo "${op}_cpu_bps 1e9"; done; } > "$file"
backends > "$tmp/ops" || no "--list-backends, math: exit $?"
for op in $ops; do
	grep -q "^$op  *opencl\$" "$tmp/ops" || no "math calibration: $op not on opencl"
done
for op in exp add relu sum dot matmul layer_norm softmax log_softmax; do
	grep -q "^$op  *opencl\$" "$tmp/ops" && no "math calibration: $op on opencl"
done
# The same in format 2 (no rate of each math operation): ignored.
printf "format 2\ndevice %s\n$math" "$device" > "$file"
backends | grep -q ' opencl$' && no "format 2 sent an operation to the device"
TN_OPENCL=auto "$dispatch" --list-backends | grep -q '^no calibration (the saved one is not of format 3' ||
	no "format 2 not reported as ignored"
exit $fail
