# Sourced by the benchmarks; the caller defines $work, $sink_bin, $source_bin, free_port and as_nobody.
#
# fresh_sink: stops the running smtp-sink, if any, and starts a new one on a new port that dumps every message into a
# new, empty directory; sets $sink_port, $sink_dir and $sink_pid. Every run gets its own: on ext4, creating files
# right after thousands were deleted costs the kernel a scan past every recently deleted inode, which made a sink
# that was emptied between runs 2-3 times slower in the runs that followed (one run's cost leaking into the next).
# Nothing is deleted until the benchmark's clean-up.
#
# The same scan makes the sink slow after *any* recent mass deletion on its file system — the previous benchmark's
# clean-up included: on this VM's root file system smtp-sink ran at 1,800-5,150 msgs/s depending on what had been
# deleted before, and at 7,000-7,600 msgs/s, run after run, on a new ext4 file system. So, when run as root with
# mkfs.ext4 at hand, the sinks write to a new ext4 file system (a loop-mounted image under $work) that only this
# benchmark has touched; otherwise to $work, with a warning. Call sink_cleanup from the caller's clean-up.
sink_root=""
sink_fs() {
  [ -n "$sink_root" ] && return
  sink_root="$work/sinks"
  mkdir -p "$sink_root"
  if [ "$(id -u)" -eq 0 ] && command -v mkfs.ext4 >/dev/null && truncate -s 4G "$work/sinks.img" 2>/dev/null \
     && mkfs.ext4 -q -F "$work/sinks.img" && mount -o loop "$work/sinks.img" "$sink_root" 2>/dev/null; then
    sink_mounted=1
    echo "sinks write to a new ext4 file system ($sink_root)"
  else
    rm -f "$work/sinks.img"
    echo "warning: sinks write to $sink_root on a file system with a history; the peer's rate may be depressed by recent deletions (run as root with mkfs.ext4 for a fresh one)"
  fi
}
sink_cleanup() {
  if [ -n "${sink_pid:-}" ]; then kill "$sink_pid" 2>/dev/null; wait "$sink_pid" 2>/dev/null || true; fi
  if [ "${sink_mounted:-0}" = 1 ]; then umount "$sink_root" 2>/dev/null || umount -l "$sink_root" 2>/dev/null || true; fi
}
fresh_sink() {
  if [ -n "${sink_pid:-}" ]; then kill "$sink_pid" 2>/dev/null; wait "$sink_pid" 2>/dev/null || true; fi
  sink_fs
  sink_runs=$(( ${sink_runs:-0} + 1 ))
  sink_dir="$sink_root/sink.$sink_runs"
  mkdir -p "$sink_dir"; chmod 777 "$sink_dir"
  sink_port=$(free_port)
  "$sink_bin" "${as_nobody[@]}" -d "$sink_dir/m." "127.0.0.1:$sink_port" 1000 2>>"$work/sink.log" &
  sink_pid=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$sink_port") 2>/dev/null; do sleep 0.05; done
}

# peer_median LABEL N RCPT: postfix's smtp-source (-s 20 -m N -l 4096) into a fresh sink, three times; sets
# $peer_rate to the median rate (the peer's rate still varies from run to run on a shared machine).
peer_median() {
  local label=$1 n=$2 rcpt=$3 rates=() attempt start out seconds acked
  for attempt in 1 2 3; do
    fresh_sink
    start=$(date +%s.%N)
    out=$("$source_bin" -c -s 20 -m "$n" -l 4096 -f bench@source.test -t "$rcpt" "127.0.0.1:$sink_port" | tr '\r' '\n')
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    acked=$(echo "$out" | grep -E '^[0-9]+$' | tail -1)
    [ "${acked:-0}" -ge "$n" ] || { echo "$label: only ${acked:-0} of $n acknowledged"; exit 1; }
    rates+=("$(echo "scale=1; $n / $seconds" | bc)")
    echo "$label run $attempt: $n messages in ${seconds}s = ${rates[-1]} msgs/s"
  done
  peer_rate=$(printf '%s\n' "${rates[@]}" | sort -n | sed -n 2p)
  echo "$label: median $peer_rate msgs/s"
}
