// CPU time of processes from /proc (Linux; elsewhere the readings are null), to show where a
// scenario's CPU went: the relay, or the load generators sharing the machine with it.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds of a process (all its threads), or null. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Starts a measurement over named pids; `stop()` gives each one's share of one core, in %. */
export function cpuMeter(pids) {
  const t0 = performance.now();
  const start = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  return {
    stop() {
      const seconds = (performance.now() - t0) / 1000;
      const out = {};
      for (const [name, pid] of Object.entries(pids)) {
        const now = cpuSeconds(pid);
        out[name] = now === null || start[name] === null ? null : Math.round((100 * (now - start[name])) / seconds);
      }
      return out;
    },
  };
}

export function describeCpu(shares) {
  const parts = Object.entries(shares)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k} ${v}%`);
  return parts.length > 0 ? `CPU (% of one core): ${parts.join(', ')}` : '';
}
