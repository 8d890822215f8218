// Which dashboard instance this process is, when several share one database. The id names the builds it runs
// (Build.runner) and its liveness lease; it defaults to the host name, so a restarted instance finds the builds it left
// running and marks them interrupted. Two instances on one host need their own LUCID_INSTANCE_ID.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";

const slot = globalThis as unknown as { lucidInstance?: { id: string; token: string } };

function read(env: NodeJS.ProcessEnv): string {
  const raw = env.LUCID_INSTANCE_ID?.trim();
  if (!raw) return hostname() || "dashboard";
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(raw)) throw new Error(`LUCID_INSTANCE_ID must be 1-64 letters, digits, '.', '_' or '-', not ${JSON.stringify(raw)}`);
  return raw;
}

/** This instance's id, and a token new with every process (tells a restart from a second process using the same id). */
export function instance(env: NodeJS.ProcessEnv = process.env): { id: string; token: string } {
  return (slot.lucidInstance ??= { id: read(env), token: randomUUID() });
}

/**
 * How this process signs the leases it holds: its instance id and its token, so a second process given the same id
 * (a mistake) is told apart from this one instead of sharing its leases.
 */
export function processHolder(env: NodeJS.ProcessEnv = process.env): string {
  const { id, token } = instance(env);
  return leaseHolder(id, token);
}

/** A lease holder for instance `id` in the process with `token` (instanceOfHolder reads the id back). */
export function leaseHolder(id: string, token: string): string {
  return `${id}#${token}`;
}

/** The instance id in a lease holder (older versions signed with the id alone). */
export function instanceOfHolder(holder: string): string {
  const at = holder.indexOf("#");
  return at === -1 ? holder : holder.slice(0, at);
}
