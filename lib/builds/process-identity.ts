import { readFileSync } from "node:fs";

/**
 * "<boot id>:<start time>" of a process on Linux, or null where /proc cannot tell. A pid alone is
 * recycled (after a reboot, or over time); this pair names one process for as long as it lives.
 */
export function processIdentity(pid: number): string | null {
  try {
    const bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at state; starttime is field 22 overall.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const startTime = fields[19];
    return bootId && startTime ? `${bootId}:${startTime}` : null;
  } catch {
    return null;
  }
}

/**
 * Stops a builder's process group left by an earlier run of the dashboard, only if the process is
 * still the one recorded: SIGTERM, then SIGKILL after the grace period.
 */
export function stopOrphanedGroup(pid: number, identity: string | null, graceMs: number): boolean {
  if (identity === null || processIdentity(pid) !== identity) return false;
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    return false;
  }
  setTimeout(() => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // the group is gone
    }
  }, graceMs).unref();
  return true;
}
