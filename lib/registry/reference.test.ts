import { describe, expect, it } from "vitest";
import {
  formatPlatform,
  formatReference,
  InvalidPlatformError,
  InvalidReferenceError,
  isLoopbackRegistry,
  isValidDigest,
  isValidPlatform,
  isValidTag,
  parsePlatform,
  parseReference,
  registryHostFor,
  splitReference,
} from "@/lib/registry/reference";

const SHA = `sha256:${"a".repeat(64)}`;

describe("parseReference", () => {
  it.each([
    ["redis", { registry: "docker.io", repository: "library/redis", tag: null, digest: null }],
    ["redis:7-alpine", { registry: "docker.io", repository: "library/redis", tag: "7-alpine", digest: null }],
    ["docker.io/redis", { registry: "docker.io", repository: "library/redis", tag: null, digest: null }],
    ["index.docker.io/pickme/x:1", { registry: "docker.io", repository: "pickme/x", tag: "1", digest: null }],
    ["pickme/lucid-base:python-distroless-arm64", { registry: "docker.io", repository: "pickme/lucid-base", tag: "python-distroless-arm64", digest: null }],
    ["127.0.0.1:5000/pickme/x:1", { registry: "127.0.0.1:5000", repository: "pickme/x", tag: "1", digest: null }],
    ["localhost/x", { registry: "localhost", repository: "x", tag: null, digest: null }],
    ["localhost:5000/team/sub/x", { registry: "localhost:5000", repository: "team/sub/x", tag: null, digest: null }],
    ["[::1]:5000/x:y", { registry: "[::1]:5000", repository: "x", tag: "y", digest: null }],
    ["ghcr.io/hamigames/lucid__api.v2-beta---x:1.0", { registry: "ghcr.io", repository: "hamigames/lucid__api.v2-beta---x", tag: "1.0", digest: null }],
    [`pickme/x@${SHA}`, { registry: "docker.io", repository: "pickme/x", tag: null, digest: SHA }],
    [`pickme/x:1@${SHA}`, { registry: "docker.io", repository: "pickme/x", tag: "1", digest: SHA }],
    [`pickme/x:${"T".repeat(128)}`, { registry: "docker.io", repository: "pickme/x", tag: "T".repeat(128), digest: null }],
    ["localhost:5000", { registry: "docker.io", repository: "library/localhost", tag: "5000", digest: null }],
  ])("reads %s", (ref, expected) => {
    expect(parseReference(ref)).toEqual(expected);
  });

  it.each([
    ["", /the reference is empty/],
    ["pickme/Lucid", /repository names must be lowercase/],
    ["Pickme/lucid", /repository names must be lowercase/],
    ["pickme/a..b", /path component "a\.\.b" is not valid/],
    ["pickme/../x", /path component "\.\." is not valid/],
    ["pickme//x", /empty component/],
    ["pickme/x/", /empty component/],
    ["/x", /empty component/],
    ["pickme/-x", /path component "-x"/],
    ["pickme/x_", /path component "x_"/],
    [`pickme/x:${"t".repeat(129)}`, /the tag is 129 characters long; at most 128/],
    ["pickme/x:-1", /the tag "-1" is not valid/],
    ["pickme/x:", /the tag after ":" is empty/],
    ["pickme/x@sha256:abc", /the digest "sha256:abc" is not valid/],
    [`pickme/x@sha256:${"A".repeat(64)}`, /64 lowercase hex digits/],
    [`pickme/x@md5:${"a".repeat(32)}`, /algorithm "md5" is not supported/],
    ["pickme/x@", /digest after "@" is empty/],
    ["pickme/x:v-$(date +%Y%m%d)", /shell expansion such as \$\(date \.\.\.\) was not expanded/],
    ["pickme/x:`date`", /shell expansion/],
    ["pickme/x: 1", /whitespace/],
    ["pickme/x:1\n", /whitespace/],
    ["pickme/x;rm", /contains ";"/],
    ["pickme/x|cat", /contains "\|"/],
    ["pickme/x&&id", /contains "&"/],
    ["pickme/x>y", /contains ">"/],
    ["bad_host.io/x", /the registry "bad_host\.io" is not a valid host/],
    [`pickme/${"x".repeat(250)}`, /the name is 257 characters long; at most 255/],
    ["a".repeat(64), /image ID, not a repository name/],
  ])("refuses %j", (ref, reason) => {
    expect(() => parseReference(ref)).toThrow(InvalidReferenceError);
    expect(() => parseReference(ref)).toThrow(reason);
  });

  it("says which reference is wrong and why", () => {
    expect(() => parseReference("pickme/Lucid")).toThrow('"pickme/Lucid" is not a valid image reference: repository names must be lowercase');
    const error = catchError(() => parseReference("pickme/x;id"));
    expect(error).toMatchObject({ reference: "pickme/x;id", reason: 'it contains ";", which cannot appear in an image reference' });
  });

  it("quotes a huge reference only in part", () => {
    const error = catchError(() => parseReference(`${"x".repeat(10_000)}!`));
    expect(error?.message.length).toBeLessThan(300);
  });
});

describe("splitReference", () => {
  it("keeps the name as written", () => {
    expect(splitReference("redis:7")).toEqual({ name: "redis", domain: null, path: "redis", tag: "7", digest: null });
    expect(splitReference("localhost:5000/team/x")).toEqual({ name: "localhost:5000/team/x", domain: "localhost:5000", path: "team/x", tag: null, digest: null });
  });
});

describe("formatReference", () => {
  it("writes the full reference and round-trips", () => {
    expect(formatReference(parseReference("redis"))).toBe("docker.io/library/redis");
    expect(formatReference(parseReference(`pickme/x:1@${SHA}`))).toBe(`docker.io/pickme/x:1@${SHA}`);
    expect(formatReference({ ...parseReference("pickme/x:2"), registry: "127.0.0.1:5000" })).toBe("127.0.0.1:5000/pickme/x:2");
    for (const ref of ["docker.io/pickme/x:1", "127.0.0.1:5000/a/b/c:latest", "localhost/x"]) {
      expect(formatReference(parseReference(ref))).toBe(ref);
    }
  });
});

describe("tags and digests", () => {
  it("isValidTag follows [\\w][\\w.-]{0,127}", () => {
    expect(isValidTag("latest-20251024-155132")).toBe(true);
    expect(isValidTag("_V1.2")).toBe(true);
    expect(isValidTag("t".repeat(128))).toBe(true);
    expect(isValidTag("t".repeat(129))).toBe(false);
    expect(isValidTag(".hidden")).toBe(false);
    expect(isValidTag("a/b")).toBe(false);
    expect(isValidTag("")).toBe(false);
  });

  it("isValidDigest needs a registered algorithm with its exact length", () => {
    expect(isValidDigest(SHA)).toBe(true);
    expect(isValidDigest(`sha512:${"0".repeat(128)}`)).toBe(true);
    expect(isValidDigest(`sha256:${"0".repeat(63)}`)).toBe(false);
    expect(isValidDigest(`sha256:../../${"0".repeat(58)}`)).toBe(false);
  });
});

describe("registries", () => {
  it("sends docker.io to Docker Hub's API host", () => {
    expect(registryHostFor("docker.io")).toBe("registry-1.docker.io");
    expect(registryHostFor("ghcr.io")).toBe("ghcr.io");
    expect(registryHostFor("127.0.0.1:5000")).toBe("127.0.0.1:5000");
  });

  it.each([
    ["localhost", true],
    ["localhost:5000", true],
    ["127.0.0.1", true],
    ["127.0.0.1:5000", true],
    ["127.255.3.4:1", true],
    ["[::1]", true],
    ["[::1]:5000", true],
    ["docker.io", false],
    ["192.168.1.10:5000", false],
    ["128.0.0.1", false],
    ["127.0.0.1.example.com", false],
    ["localhost.example.com:5000", false],
    ["[::2]:5000", false],
    ["127.0.0.1:5000/x", false],
    ["user@127.0.0.1", false],
  ])("isLoopbackRegistry(%s) is %s", (registry, loopback) => {
    expect(isLoopbackRegistry(registry)).toBe(loopback);
  });
});

describe("platforms", () => {
  it("parses os/arch[/variant]", () => {
    expect(parsePlatform("linux/arm64/v8")).toEqual({ os: "linux", architecture: "arm64", variant: "v8" });
    expect(parsePlatform("linux/amd64")).toEqual({ os: "linux", architecture: "amd64", variant: null });
    expect(formatPlatform({ os: "linux", architecture: "arm", variant: "v7" })).toBe("linux/arm/v7");
    expect(formatPlatform({ os: "linux", architecture: "amd64" })).toBe("linux/amd64");
  });

  it.each(["arm64", "linux-arm64", "Linux/arm64", "linux/arm64/v8/x", "linux//v8", "linux/arm64 ", ""])("refuses %j", (platform) => {
    expect(isValidPlatform(platform)).toBe(false);
    expect(() => parsePlatform(platform)).toThrow(InvalidPlatformError);
  });

  it("accepts what both former copies accepted", () => {
    for (const platform of ["linux/amd64", "linux/arm64/v8", "linux/arm/v7", "linux/x86_64", "windows/amd64"]) {
      expect(isValidPlatform(platform)).toBe(true);
    }
  });
});

function catchError(run: () => unknown): InvalidReferenceError | null {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidReferenceError) return error;
    throw error;
  }
  return null;
}
