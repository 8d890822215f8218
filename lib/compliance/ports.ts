// Port numbers in EXPOSE arguments and in health check commands.

export type PortRange = { from: number; to: number; written: string };

/** EXPOSE values: 8080, 8080/tcp, 8000-8010/udp. Anything else is ignored. */
export function exposedPorts(args: string): PortRange[] {
  const ranges: PortRange[] = [];
  for (const written of args.split(/\s+/).filter(Boolean)) {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(?:tcp|udp|sctp))?$/i.exec(written);
    if (!match) continue;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (isPort(from) && isPort(to) && from <= to) ranges.push({ from, to, written });
  }
  return ranges;
}

export function rangeIncludes(ranges: PortRange[], port: number): boolean {
  return ranges.some((r) => r.from <= port && port <= r.to);
}

// Where a health check names a port: a URL's authority (http://localhost:8080/...), host:port
// (127.0.0.1:8080, localhost:8080, [::1]:8080), a Python socket address ('127.0.0.1', 8080),
// nc/netcat HOST PORT, and --port/-p flags.
const PORT_PATTERNS: RegExp[] = [
  /[a-z][a-z0-9+.-]*:\/\/[^/\s'"@]*@?[^/\s:'"]*:(\d{1,5})(?!\d)/gi,
  /(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\]|::1):(\d{1,5})(?!\d)/gi,
  /\(\s*['"][^'"]*['"]\s*,\s*(\d{1,5})\s*\)/g,
  /\b(?:nc|netcat|ncat)\s+(?:-\w+\s+)*[^\s-]\S*\s+(\d{1,5})(?!\d)/g,
  /(?:--port[= ]|\s-p\s?)(\d{1,5})(?!\d)/g,
];

/** The distinct port numbers a health check command names, in order of appearance. */
export function portsNamedIn(command: string): number[] {
  const found: { port: number; at: number }[] = [];
  for (const pattern of PORT_PATTERNS) {
    for (const match of command.matchAll(pattern)) {
      const port = Number(match[1]);
      if (isPort(port)) found.push({ port, at: match.index ?? 0 });
    }
  }
  return [...new Set(found.sort((a, b) => a.at - b.at).map((f) => f.port))];
}

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}
