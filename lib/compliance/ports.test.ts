import { describe, expect, it } from "vitest";
import { exposedPorts, portsNamedIn, rangeIncludes } from "@/lib/compliance/ports";

describe("ports", () => {
  it("reads EXPOSE values", () => {
    const ranges = exposedPorts("8080 9090/udp 7000-7010/tcp abc 99999 -1");
    expect(ranges.map((r) => r.written)).toEqual(["8080", "9090/udp", "7000-7010/tcp"]);
    expect(rangeIncludes(ranges, 7005)).toBe(true);
    expect(rangeIncludes(ranges, 7011)).toBe(false);
  });

  it("finds the ports a health check names", () => {
    expect(portsNamedIn("curl -f http://localhost:8080/health || exit 1")).toEqual([8080]);
    expect(portsNamedIn("import socket; s.connect_ex(('session-api', 8113))")).toEqual([8113]);
    expect(portsNamedIn("wget -qO- 127.0.0.1:9000/x http://user:pw@db:5432/")).toEqual([9000, 5432]);
    expect(portsNamedIn("nc -z localhost 6379")).toEqual([6379]);
    expect(portsNamedIn("/grpc_health_probe --port=50051")).toEqual([50051]);
    expect(portsNamedIn("python -c \"url = 'http://127.0.0.1:' + str(port)\"")).toEqual([]);
    expect(portsNamedIn("sleep 30; exit 0")).toEqual([]);
  });
});
