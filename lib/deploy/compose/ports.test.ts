import { describe, expect, it } from "vitest";
import { parsePortEntry, PortSyntaxError } from "@/lib/deploy/compose/ports";

const short = (entry: unknown) => parsePortEntry(entry).map((p) => [p.hostIp, p.published, p.target, p.protocol]);

describe("parsePortEntry", () => {
  it.each([
    ["8113:8113", [[null, 8113, 8113, "tcp"]]],
    ["127.0.0.1:8001:80", [["127.0.0.1", 8001, 80, "tcp"]]],
    ["[::1]:6000:6000", [["::1", 6000, 6000, "tcp"]]],
    ["::1:6000:6000", [["::1", 6000, 6000, "tcp"]]],
    ["6060:6060/udp", [[null, 6060, 6060, "udp"]]],
    ["3000", [[null, null, 3000, "tcp"]]],
    [3000, [[null, null, 3000, "tcp"]]],
    ["9090-9091:8080-8081", [[null, 9090, 8080, "tcp"], [null, 9091, 8081, "tcp"]]],
    ["127.0.0.1::5000", [["127.0.0.1", null, 5000, "tcp"]]],
    // A host range for one container port: the engine picks a free one, so which is not known.
    ["8000-8010:80", [[null, null, 80, "tcp"]]],
    ["53:53/UDP", [[null, 53, 53, "udp"]]],
  ])("%s", (entry, expected) => {
    expect(short(entry)).toEqual(expected);
  });

  it("reads the long syntax", () => {
    expect(parsePortEntry({ target: 80, published: "8080", host_ip: "0.0.0.0", protocol: "tcp", mode: "host" })).toEqual([{ target: 80, published: 8080, hostIp: "0.0.0.0", protocol: "tcp" }]);
    expect(parsePortEntry({ target: 443 })).toEqual([{ target: 443, published: null, hostIp: null, protocol: "tcp" }]);
  });

  it.each([
    ["70000:80"],
    ["8080:0"],
    ["abc:80"],
    ["8080:80/icmp"],
    ["9000-9002:8000-8001"],
    ["8080:80-81"],
    ["1-65535"],
    ["9005-9001:80"],
    [{ published: 8080 }],
    [["8080:80"]],
    [null],
  ])("refuses %j as Compose would", (entry) => {
    expect(() => parsePortEntry(entry)).toThrow(PortSyntaxError);
  });
});
