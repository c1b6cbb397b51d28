// CPU time of processes from /proc (Linux; elsewhere the readings are null), to show where a
// scenario's CPU went: the relay, or the load generators sharing the machine with it.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds of a process (all its threads), or null. */
export function cpuSeconds(pid) {
  return cpuTimes(pid)?.total ?? null;
}

/** CPU seconds of a process (all its threads): in all, and in the kernel; or null. */
function cpuTimes(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const system = Number(fields[12]) / TICKS_PER_SECOND;
    return { total: Number(fields[11]) / TICKS_PER_SECOND + system, system };
  } catch {
    return null;
  }
}

/**
 * Starts a measurement over named pids; `stop()` gives each one's share of one core, in %, and
 * `kernel()` the part of it spent in the kernel (system calls: sockets, files).
 */
export function cpuMeter(pids) {
  const t0 = performance.now();
  const start = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuTimes(pid)]));
  const kernel = {};
  return {
    stop() {
      const seconds = (performance.now() - t0) / 1000;
      const out = {};
      for (const [name, pid] of Object.entries(pids)) {
        const now = cpuTimes(pid);
        const before = start[name];
        out[name] = now === null || before === null ? null : Math.round((100 * (now.total - before.total)) / seconds);
        kernel[name] = now === null || before === null ? null : Math.round((100 * (now.system - before.system)) / seconds);
      }
      return out;
    },
    /** After `stop()`: each one's kernel share of one core, in %. */
    kernel: () => kernel,
  };
}

/** `kernel`: the kernel's part of each share (cpuMeter's `kernel()`), shown when given. */
export function describeCpu(shares, kernel = {}) {
  const parts = Object.entries(shares)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k} ${v}%${kernel[k] == null ? '' : ` (kernel ${kernel[k]}%)`}`);
  return parts.length > 0 ? `CPU (% of one core): ${parts.join(', ')}` : '';
}
