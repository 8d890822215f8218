import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MEDIA_TYPES, missingPlatforms, readPushedImage, RegistryError } from "@/lib/registry/client";
import { digestOf, pushTestImage, startTestRegistry, type PushedTestImage, type TestRegistry } from "@/lib/registry/testing";

const RUNTIME = {
  User: "65532:65532",
  Healthcheck: { Test: ["CMD", "/app/health"] },
  ExposedPorts: { "8090/tcp": {} },
  Labels: { "org.opencontainers.image.source": "https://github.com/HamiGames/Lucid" },
};
const EXPECTED_CONFIG = {
  user: "65532:65532",
  healthcheck: ["CMD", "/app/health"],
  exposedPorts: ["8090/tcp"],
  labels: { "org.opencontainers.image.source": "https://github.com/HamiGames/Lucid" },
};
const AMD64_LAYERS = [Buffer.from("amd64 layer one"), Buffer.from("amd64 layer two, a little longer")];
const ARM64_LAYERS = [Buffer.from("arm64 only layer")];

async function expectRegistryError(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

describe("readPushedImage against docker-registry", () => {
  let registry: TestRegistry;
  let multi: PushedTestImage;
  let single: PushedTestImage;

  beforeAll(async () => {
    registry = await startTestRegistry();
    multi = await pushTestImage(registry.host, "pickme/lucid-api", "1.0", [
      { platform: "linux/amd64", layers: AMD64_LAYERS, config: { config: RUNTIME } },
      { platform: "linux/arm64/v8", layers: ARM64_LAYERS, config: { config: RUNTIME } },
    ]);
    single = await pushTestImage(
      registry.host,
      "pickme/lucid-single",
      "arm64",
      [{ platform: "linux/arm64/v8", layers: ARM64_LAYERS, config: { config: { User: "1000" } } }],
      { index: false, format: "docker" },
    );
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it("reads an OCI index: digest, platforms, sizes and runtime config, skipping the attestations", async () => {
    const image = await readPushedImage(`${registry.host}/pickme/lucid-api:1.0`);
    expect(image).toMatchObject({
      reference: `${registry.host}/pickme/lucid-api:1.0`,
      registry: registry.host,
      repository: "pickme/lucid-api",
      tag: "1.0",
      digest: multi.digest,
      mediaType: MEDIA_TYPES.ociIndex,
    });
    expect(image.platforms).toEqual([
      { platform: "linux/amd64", digest: multi.platforms[0]?.digest, configDigest: SHA256, compressedBytes: AMD64_LAYERS[0]!.length + AMD64_LAYERS[1]!.length, diffIds: AMD64_LAYERS.map(digestOf), config: EXPECTED_CONFIG },
      { platform: "linux/arm64/v8", digest: multi.platforms[1]?.digest, configDigest: SHA256, compressedBytes: ARM64_LAYERS[0]!.length, diffIds: ARM64_LAYERS.map(digestOf), config: EXPECTED_CONFIG },
    ]);
    // The config blob's digest (a classic image store's image ID) is its own, not the manifest's.
    expect(image.platforms[0]!.configDigest).not.toBe(image.platforms[0]!.digest);
  });

  it("reads the same image by digest", async () => {
    const image = await readPushedImage(`${registry.host}/pickme/lucid-api@${multi.digest}`);
    expect(image.tag).toBeNull();
    expect(image.digest).toBe(multi.digest);
    expect(image.platforms.map((p) => p.platform)).toEqual(["linux/amd64", "linux/arm64/v8"]);
  });

  it("reads a single Docker v2 manifest, its platform taken from the config", async () => {
    const image = await readPushedImage(`${registry.host}/pickme/lucid-single:arm64`);
    expect(image).toMatchObject({ digest: single.digest, mediaType: MEDIA_TYPES.dockerManifest });
    expect(image.platforms).toEqual([
      {
        platform: "linux/arm64/v8",
        digest: single.digest,
        configDigest: SHA256,
        compressedBytes: ARM64_LAYERS[0]!.length,
        diffIds: ARM64_LAYERS.map(digestOf),
        config: { user: "1000", healthcheck: null, exposedPorts: [], labels: {} },
      },
    ]);
  });

  it("reads a Docker manifest list", async () => {
    const pushed = await pushTestImage(
      registry.host,
      "pickme/lucid-list",
      "2",
      [
        { platform: "linux/arm64", layers: ARM64_LAYERS, config: { config: RUNTIME } },
        { platform: "linux/amd64", layers: AMD64_LAYERS, config: { config: RUNTIME } },
      ],
      { format: "docker" },
    );
    const image = await readPushedImage(`${registry.host}/pickme/lucid-list:2`);
    expect(image.mediaType).toBe(MEDIA_TYPES.dockerManifestList);
    expect(image.digest).toBe(pushed.digest);
    expect(image.platforms.map((p) => [p.platform, p.compressedBytes])).toEqual([
      ["linux/arm64", 16],
      ["linux/amd64", 47],
    ]);
  });

  it("says when a tag or repository is not in the registry", async () => {
    const missingTag = await expectRegistryError(readPushedImage(`${registry.host}/pickme/lucid-api:nope`));
    expect(missingTag.message).toBe(`${registry.host}/pickme/lucid-api:nope was not found in the registry`);
    expect(missingTag.code).toBe("not-found");
    const missingRepository = await expectRegistryError(readPushedImage(`${registry.host}/pickme/nothing:1`));
    expect(missingRepository.message).toMatch(/was not found in the registry/);
  });

  it("says when a config blob is missing", async () => {
    const pushed = await pushTestImage(registry.host, "pickme/lucid-broken", "1", [{ platform: "linux/amd64", layers: AMD64_LAYERS, config: { config: RUNTIME } }]);
    const configDigest = pushed.platforms[0]?.configDigest ?? "";
    const deleted = await fetch(`http://${registry.host}/v2/pickme/lucid-broken/blobs/${configDigest}`, { method: "DELETE" });
    expect(deleted.status).toBe(202);
    const error = await expectRegistryError(readPushedImage(`${registry.host}/pickme/lucid-broken:1`));
    expect(error.message).toBe(`${registry.host}/pickme/lucid-broken:1: the config blob ${configDigest} of linux/amd64 is missing from the registry`);
  });

  it("refuses a reference that is not valid before any request", async () => {
    const error = await expectRegistryError(readPushedImage(`${registry.host}/pickme/Lucid:1`));
    expect(error).toMatchObject({ code: "invalid-reference", message: expect.stringMatching(/must be lowercase/) });
  });
});

const SHA256 = expect.stringMatching(/^sha256:[0-9a-f]{64}$/);

describe("missingPlatforms", () => {
  const pushed = (...platforms: string[]) => platforms.map((platform) => ({ platform }));

  it("treats linux/arm64 and linux/arm64/v8 as one platform, both ways", () => {
    expect(missingPlatforms(["linux/arm64", "linux/amd64"], pushed("linux/amd64", "linux/arm64/v8"))).toEqual([]);
    expect(missingPlatforms(["linux/arm64/v8"], pushed("linux/arm64"))).toEqual([]);
  });

  it("loosens nothing else", () => {
    expect(missingPlatforms(["linux/arm64", "linux/amd64"], pushed("linux/amd64"))).toEqual(["linux/arm64"]);
    expect(missingPlatforms(["linux/arm/v7"], pushed("linux/arm"))).toEqual(["linux/arm/v7"]);
    expect(missingPlatforms(["linux/amd64"], pushed("linux/amd64/v2"))).toEqual(["linux/amd64"]);
    expect(missingPlatforms(["linux/arm64/v8"], pushed("linux/arm64/v9"))).toEqual(["linux/arm64/v8"]);
    expect(missingPlatforms(["windows/arm64"], pushed("windows/arm64/v8"))).toEqual(["windows/arm64"]);
    expect(missingPlatforms(["linux/arm64", "linux/arm64"], [])).toEqual(["linux/arm64"]);
  });
});

// ---------------------------------------------------------------------------
// Fake registries on 127.0.0.1 (node:http) for what docker-registry does not do

type Handler = (request: IncomingMessage, response: ServerResponse, url: URL) => void;
const servers: Server[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = createServer((request, response) => handler(request, response, new URL(request.url ?? "/", "http://fake")));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const CONFIG = Buffer.from(JSON.stringify({ architecture: "arm64", os: "linux", variant: "v8", config: { User: "65532:65532" } }));
const MANIFEST = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.dockerManifest,
    config: { mediaType: "application/vnd.docker.container.image.v1+json", digest: digestOf(CONFIG), size: CONFIG.length },
    layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", digest: digestOf(Buffer.from("layer")), size: 1234 }],
  }),
);
const TOKEN = "secret-token-for-pickme-x";
const SCOPE = "repository:pickme/x:pull";
const PASSWORD = "hunter2-very-secret";

type BearerRegistryOptions = { password?: string; tokenField?: "token" | "access_token"; acceptToken?: boolean };

/** Answers 401 with a bearer challenge until it sees the token its /token endpoint hands out. */
async function startBearerRegistry({ password, tokenField = "token", acceptToken = true }: BearerRegistryOptions = {}) {
  const log = { tokenRequests: 0, unauthorized: 0, served: [] as string[] };
  const host = await serve((request, response, url) => {
    if (url.pathname === "/token") {
      log.tokenRequests++;
      if (url.searchParams.get("service") !== "registry.test" || url.searchParams.get("scope") !== SCOPE) {
        response.writeHead(400).end();
      } else if (password !== undefined && request.headers.authorization !== `Basic ${Buffer.from(`lucid:${password}`).toString("base64")}`) {
        response.writeHead(401, { "content-type": "application/json" }).end('{"details":"incorrect username or password"}');
      } else {
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ [tokenField]: TOKEN, expires_in: 300 }));
      }
      return;
    }
    if (!acceptToken || request.headers.authorization !== `Bearer ${TOKEN}`) {
      log.unauthorized++;
      response
        .writeHead(401, { "www-authenticate": `Bearer realm="http://${host}/token",service="registry.test",scope="${SCOPE}"`, "content-type": "application/json" })
        .end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    log.served.push(url.pathname);
    if (url.pathname === "/v2/pickme/x/manifests/1") {
      response.writeHead(200, { "content-type": MEDIA_TYPES.dockerManifest, "docker-content-digest": digestOf(MANIFEST) }).end(MANIFEST);
    } else if (url.pathname === `/v2/pickme/x/blobs/${digestOf(CONFIG)}`) {
      response.writeHead(200, { "content-type": "application/octet-stream" }).end(CONFIG);
    } else {
      response.writeHead(404, { "content-type": "application/json" }).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
    }
  });
  return { host, log };
}

describe("readPushedImage with a bearer-token registry", () => {
  it("fetches the token once per scope, retries with it and sends it on the next requests", async () => {
    const { host, log } = await startBearerRegistry();
    const image = await readPushedImage(`${host}/pickme/x:1`);
    expect(image).toMatchObject({ digest: digestOf(MANIFEST), platforms: [{ platform: "linux/arm64/v8", compressedBytes: 1234 }] });
    expect(log).toEqual({ tokenRequests: 1, unauthorized: 1, served: ["/v2/pickme/x/manifests/1", `/v2/pickme/x/blobs/${digestOf(CONFIG)}`] });

    await readPushedImage(`${host}/pickme/x:1`);
    expect(log.tokenRequests).toBe(2);
  });

  it("takes access_token and sends credentials to the token endpoint", async () => {
    const { host, log } = await startBearerRegistry({ password: PASSWORD, tokenField: "access_token" });
    const image = await readPushedImage(`${host}/pickme/x:1`, { credentials: { username: "lucid", password: PASSWORD } });
    expect(image.platforms).toHaveLength(1);
    expect(log.tokenRequests).toBe(1);
  });

  it("reports wrong credentials as unauthorized, without the password", async () => {
    const { host } = await startBearerRegistry({ password: PASSWORD });
    const error = await expectRegistryError(readPushedImage(`${host}/pickme/x:1`, { credentials: { username: "lucid", password: "wrong-password" } }));
    expect(error.code).toBe("unauthorized");
    expect(error.message).toMatch(/unauthorized: the token service at 127\.0\.0\.1:\d+ refused the credentials/);
    expect(error.message).not.toContain("wrong-password");
  });

  it("reports a refused token as unauthorized, without the token", async () => {
    const { host, log } = await startBearerRegistry({ acceptToken: false });
    const error = await expectRegistryError(readPushedImage(`${host}/pickme/x:1`));
    expect(error.message).toBe(`${host}/pickme/x:1: unauthorized: the repository is private or does not exist; give credentials`);
    expect(error.message).not.toContain(TOKEN);
    expect(log.tokenRequests).toBe(1);
  });

  it("follows a blob redirect to another origin without sending the token there", async () => {
    const cdnRequests: (string | undefined)[] = [];
    const cdn = await serve((request, response) => {
      cdnRequests.push(request.headers.authorization);
      response.writeHead(200, { "content-type": "application/octet-stream" }).end(CONFIG);
    });
    const host = await serve((request, response, url) => {
      if (url.pathname === "/token") {
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token: TOKEN }));
      } else if (request.headers.authorization !== `Bearer ${TOKEN}`) {
        response.writeHead(401, { "www-authenticate": `Bearer realm="http://${host}/token",service="registry.test",scope="${SCOPE}"` }).end();
      } else if (url.pathname.includes("/manifests/")) {
        response.writeHead(200, { "content-type": MEDIA_TYPES.dockerManifest }).end(MANIFEST);
      } else {
        response.writeHead(307, { location: `http://${cdn}/signed/config?sig=abc` }).end();
      }
    });
    const image = await readPushedImage(`${host}/pickme/x:1`);
    expect(image.platforms[0]?.config.user).toBe("65532:65532");
    expect(cdnRequests).toEqual([undefined]);
  });

  it("sends no credentials to a token realm over plain HTTP on another host", async () => {
    const host = await serve((_request, response) => {
      response.writeHead(401, { "www-authenticate": 'Bearer realm="http://auth.example.com/token",service="x"' }).end();
    });
    const error = await expectRegistryError(readPushedImage(`${host}/pickme/x:1`, { credentials: { username: "lucid", password: PASSWORD } }));
    expect(error.message).toMatch(/"http:\/\/auth\.example\.com\/token", which is not an HTTPS URL/);
  });
});

describe("readPushedImage with a misbehaving registry", () => {
  it("times out per request", async () => {
    const host = await serve(() => undefined);
    const started = Date.now();
    const error = await expectRegistryError(readPushedImage(`${host}/pickme/x:1`, { timeoutMs: 200 }));
    expect(error).toMatchObject({ code: "timeout", message: `${host}/pickme/x:1: ${host} did not answer within 200 ms` });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("times out while a body trickles in", async () => {
    const host = await serve((_request, response) => {
      response.writeHead(200, { "content-type": MEDIA_TYPES.dockerManifest });
      response.write("{");
    });
    const error = await expectRegistryError(readPushedImage(`${host}/pickme/x:1`, { timeoutMs: 200 }));
    expect(error.code).toBe("timeout");
  });

  it("refuses a manifest over 4 MiB, declared or streamed", async () => {
    const big = Buffer.alloc(4 * 1024 * 1024 + 1, " ");
    const declared = await serve((_request, response) => {
      response.writeHead(200, { "content-type": MEDIA_TYPES.ociManifest, "content-length": String(big.length) }).end(big);
    });
    const streamed = await serve((_request, response) => {
      response.writeHead(200, { "content-type": MEDIA_TYPES.ociManifest });
      response.write(big.subarray(0, 2 * 1024 * 1024));
      response.end(big.subarray(2 * 1024 * 1024));
    });
    for (const host of [declared, streamed]) {
      const error = await expectRegistryError(readPushedImage(`${host}/pickme/x:1`));
      expect(error.message).toBe(`${host}/pickme/x:1: its manifest is larger than 4 MiB; refusing to read it`);
    }
  });

  it("refuses a manifest that is not JSON or not an image manifest", async () => {
    const html = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" }).end("<html>login</html>");
    });
    expect((await expectRegistryError(readPushedImage(`${html}/pickme/x:1`))).message).toBe(`${html}/pickme/x:1: its manifest is not JSON`);

    const artifact = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "application/vnd.cncf.helm.chart.v1+json" }).end('{"schemaVersion":2}');
    });
    expect((await expectRegistryError(readPushedImage(`${artifact}/pickme/x:1`))).message).toMatch(
      /its manifest has the unexpected media type "application\/vnd\.cncf\.helm\.chart\.v1\+json"/,
    );
  });

  it("refuses a manifest whose bytes do not match the digest the registry states", async () => {
    const host = await serve((_request, response) => {
      response.writeHead(200, { "content-type": MEDIA_TYPES.dockerManifest, "docker-content-digest": digestOf(Buffer.from("other")) }).end(MANIFEST);
    });
    expect((await expectRegistryError(readPushedImage(`${host}/pickme/x:1`))).message).toMatch(/its manifest does not match its digest sha256:/);
  });

  it("says when nothing listens", async () => {
    const host = await serve(() => undefined);
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
    const error = await expectRegistryError(readPushedImage(`${host}/pickme/x:1`));
    expect(error).toMatchObject({ code: "unreachable", message: `${host}/pickme/x:1: could not reach ${host} (ECONNREFUSED)` });
  });
});

describe("readPushedImage's requests", () => {
  async function firstRequest(ref: string): Promise<{ url: string; accept: string | null }> {
    let seen: { url: string; accept: string | null } | null = null;
    const recordingFetch: typeof fetch = async (input, init) => {
      seen ??= { url: String(input), accept: new Headers(init?.headers).get("accept") };
      return new Response('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}', { status: 404 });
    };
    await expectRegistryError(readPushedImage(ref, { fetch: recordingFetch }));
    if (!seen) throw new Error("no request was made");
    return seen;
  }

  it("uses HTTPS except for loopback, Docker Hub's API host, and accepts all four manifest types", async () => {
    expect(await firstRequest("redis")).toEqual({
      url: "https://registry-1.docker.io/v2/library/redis/manifests/latest",
      accept: [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest].join(", "),
    });
    expect((await firstRequest("ghcr.io/pickme/x:1")).url).toBe("https://ghcr.io/v2/pickme/x/manifests/1");
    expect((await firstRequest("192.168.1.10:5000/pickme/x:1")).url).toBe("https://192.168.1.10:5000/v2/pickme/x/manifests/1");
    expect((await firstRequest("localhost:5000/pickme/x:1")).url).toBe("http://localhost:5000/v2/pickme/x/manifests/1");
  });
});
