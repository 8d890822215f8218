// Compose `ports:` entries, short ("127.0.0.1:8080:80/tcp", "9090-9091:8080-8081", 3000) and long
// ({ target, published, host_ip, protocol }), as the list of single published ports Compose expands them to.

export type PublishedPort = {
  /** The port inside the container. */
  target: number;
  /** The host port; null when Compose picks one at random (nothing to probe). */
  published: number | null;
  hostIp: string | null;
  protocol: "tcp" | "udp" | "sctp";
};

export class PortSyntaxError extends Error {
  override name = "PortSyntaxError";
}

/** At most this many ports from one range entry; a typo like 1-65535 is refused rather than expanded. */
const MAX_RANGE = 1_000;
const PROTOCOLS = new Set(["tcp", "udp", "sctp"]);

function portNumber(text: string, entry: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new PortSyntaxError(`"${entry}": "${text}" is not a port number`);
  const n = Number(text);
  if (n < 1 || n > 65_535) throw new PortSyntaxError(`"${entry}": port ${n} is outside 1-65535`);
  return n;
}

function portRange(text: string, entry: string): number[] {
  const parts = text.split("-");
  if (parts.length > 2) throw new PortSyntaxError(`"${entry}": "${text}" is not a port or a range`);
  const a = portNumber(parts[0]!, entry);
  const b = parts[1] === undefined ? a : portNumber(parts[1], entry);
  if (b < a) throw new PortSyntaxError(`"${entry}": the range ${text} ends before it starts`);
  if (b - a + 1 > MAX_RANGE) throw new PortSyntaxError(`"${entry}": the range ${text} has more than ${MAX_RANGE} ports`);
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/** "[::1]:8080:80", "127.0.0.1:8080:80", "8080:80", "80" → host IP, host part, container part. */
function splitShort(spec: string): { hostIp: string | null; host: string | null; container: string } {
  const bracketed = /^\[([^\]]+)\]:(.*)$/.exec(spec);
  if (bracketed) {
    const [, ip, rest] = bracketed;
    const at = rest!.lastIndexOf(":");
    return { hostIp: ip!, host: at === -1 ? null : rest!.slice(0, at) || null, container: at === -1 ? rest! : rest!.slice(at + 1) };
  }
  const parts = spec.split(":");
  if (parts.length === 1) return { hostIp: null, host: null, container: parts[0]! };
  if (parts.length === 2) return { hostIp: null, host: parts[0] || null, container: parts[1]! };
  const container = parts.pop()!;
  const host = parts.pop() || null;
  return { hostIp: parts.join(":"), host, container };
}

/** One `ports:` entry as the ports it publishes. Throws PortSyntaxError for what Compose would refuse. */
export function parsePortEntry(entry: unknown): PublishedPort[] {
  if (typeof entry === "number") return [{ target: portNumber(String(entry), String(entry)), published: null, hostIp: null, protocol: "tcp" }];
  if (typeof entry === "string") return parseShort(entry.trim());
  if (entry !== null && typeof entry === "object" && !Array.isArray(entry)) return parseLong(entry as Record<string, unknown>);
  throw new PortSyntaxError(`${JSON.stringify(entry)} is not a port entry`);
}

function parseShort(entry: string): PublishedPort[] {
  const [spec = "", written = "tcp", ...extra] = entry.split("/");
  const protocol = written.toLowerCase();
  if (extra.length > 0 || !PROTOCOLS.has(protocol)) throw new PortSyntaxError(`"${entry}": unknown protocol "${protocol}"`);
  const { hostIp, host, container } = splitShort(spec);
  const targets = portRange(container, entry);
  const hosts = host === null ? null : portRange(host, entry);
  // As Docker's port parser: ranges of different lengths only as a host range for one container port, which the
  // engine picks a free port from (so which one is not known here).
  if (hosts && hosts.length !== targets.length && targets.length !== 1) {
    throw new PortSyntaxError(`"${entry}": the host range and the container range differ in length`);
  }
  return targets.map((target, i) => ({
    target,
    published: hosts === null || hosts.length !== targets.length ? null : hosts[i]!,
    hostIp,
    protocol: protocol as PublishedPort["protocol"],
  }));
}

function parseLong(entry: Record<string, unknown>): PublishedPort[] {
  const text = (v: unknown) => (v === undefined || v === null ? null : String(v));
  const target = text(entry.target);
  if (target === null) throw new PortSyntaxError(`${JSON.stringify(entry).slice(0, 120)}: a long-syntax port needs target`);
  const protocol = (text(entry.protocol) ?? "tcp").toLowerCase();
  if (!PROTOCOLS.has(protocol)) throw new PortSyntaxError(`${JSON.stringify(entry).slice(0, 120)}: unknown protocol "${protocol}"`);
  const published = text(entry.published);
  const shown = JSON.stringify(entry).slice(0, 120);
  const hosts = published === null || published === "" ? null : portRange(published, shown);
  return [
    {
      target: portNumber(target, shown),
      published: hosts?.[0] ?? null,
      hostIp: text(entry.host_ip),
      protocol: protocol as PublishedPort["protocol"],
    },
  ];
}
