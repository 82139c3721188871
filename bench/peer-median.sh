# Sourced by the benchmarks. peer_median LABEL N PORT SINK_DIR RCPT: runs postfix's smtp-source (-s 20 -m N -l 4096)
# against the SMTP server on PORT three times, emptying SINK_DIR between runs, and sets $peer_rate to the median
# rate. The peer's rate swings from run to run (smtp-sink's dump files cost the kernel more or less depending on the
# state of the file system), so one run is not a fair figure to compare with.
peer_median() {
  local label=$1 n=$2 port=$3 sink_dir=$4 rcpt=$5 rates=() attempt start out seconds acked
  for attempt in 1 2 3; do
    start=$(date +%s.%N)
    out=$("$source_bin" -c -s 20 -m "$n" -l 4096 -f bench@source.test -t "$rcpt" "127.0.0.1:$port" | tr '\r' '\n')
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    acked=$(echo "$out" | grep -E '^[0-9]+$' | tail -1)
    [ "${acked:-0}" -ge "$n" ] || { echo "$label: only ${acked:-0} of $n acknowledged"; exit 1; }
    rates+=("$(echo "scale=1; $n / $seconds" | bc)")
    echo "$label run $attempt: $n messages in ${seconds}s = ${rates[-1]} msgs/s"
    find "$sink_dir" -name 'm.*' -delete
  done
  peer_rate=$(printf '%s\n' "${rates[@]}" | sort -n | sed -n 2p)
  echo "$label: median $peer_rate msgs/s"
}
