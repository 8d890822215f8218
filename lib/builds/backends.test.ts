import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildSpec, backendFromEnv, builderLabel, builderOptionsFromEnv, builderSteps, registryOf } from "@/lib/builds/backends";
import { BuildLog, readLog } from "@/lib/builds/log";
import { runSteps } from "@/lib/builds/process";

// The build summary's Session API command, with the checkout at /srv/lucid.
const sessionApi: BuildSpec = {
  dockerfile: "/srv/lucid/sessions/Dockerfile.api",
  context: "/srv/lucid/sessions",
  platforms: ["linux/arm64", "linux/amd64"],
  tags: ["pickme/lucid-session-api:latest-arm64", "pickme/lucid-session-api:latest-20251024-155132"],
  push: true,
  metadataFile: "/var/lib/lucid/builds/42/metadata.json",
  manifestName: "lucid-build-42",
};

describe("buildx", () => {
  it("mirrors the summary's command, with plain progress and a metadata file", () => {
    expect(builderSteps("buildx", sessionApi)).toEqual([
      {
        label: "build",
        command: "docker",
        args: [
          "buildx",
          "build",
          "--platform",
          "linux/arm64,linux/amd64",
          "-t",
          "pickme/lucid-session-api:latest-arm64",
          "-t",
          "pickme/lucid-session-api:latest-20251024-155132",
          "-f",
          "/srv/lucid/sessions/Dockerfile.api",
          "--progress=plain",
          "--pull",
          "--metadata-file",
          "/var/lib/lucid/builds/42/metadata.json",
          "--push",
          "/srv/lucid/sessions",
        ],
      },
    ]);
  });

  it("builds with the builder LUCID_BUILDX_BUILDER names, and refuses a name that could be read as an option", () => {
    const options = builderOptionsFromEnv({ LUCID_BUILDX_BUILDER: "pi5-native" });
    expect(builderSteps("buildx", sessionApi, options)[0]!.args.slice(0, 4)).toEqual(["buildx", "build", "--builder", "pi5-native"]);
    expect(builderLabel("buildx", options)).toBe("docker buildx (builder pi5-native)");
    expect(builderLabel("buildx", {})).toBe("docker buildx");
    expect(() => builderOptionsFromEnv({ LUCID_BUILDX_BUILDER: "--push" })).toThrow('LUCID_BUILDX_BUILDER must be a buildx builder name (letters, digits, . _ -), not "--push"');
  });

  it("leaves out --push when the build is not pushed", () => {
    const [step] = builderSteps("buildx", { ...sessionApi, push: false });
    expect(step?.args).not.toContain("--push");
    expect(step?.args.at(-1)).toBe("/srv/lucid/sessions");
  });
});

describe("buildah", () => {
  const vfs = ["--storage-driver", "vfs"];

  it("builds a manifest list, pushes it once per tag, and always removes it", () => {
    expect(builderSteps("buildah", sessionApi)).toEqual([
      {
        label: "build",
        command: "buildah",
        args: [...vfs, "bud", "--isolation", "chroot", "--format", "docker", "--platform", "linux/arm64,linux/amd64", "--manifest", "lucid-build-42", "-f", "/srv/lucid/sessions/Dockerfile.api", "/srv/lucid/sessions"],
      },
      {
        label: "push pickme/lucid-session-api:latest-arm64",
        command: "buildah",
        args: [...vfs, "manifest", "push", "--all", "--format", "v2s2", "lucid-build-42", "docker://pickme/lucid-session-api:latest-arm64"],
      },
      {
        label: "push pickme/lucid-session-api:latest-20251024-155132",
        command: "buildah",
        args: [...vfs, "manifest", "push", "--all", "--format", "v2s2", "lucid-build-42", "docker://pickme/lucid-session-api:latest-20251024-155132"],
      },
      { label: "remove manifest list", command: "buildah", args: [...vfs, "manifest", "rm", "lucid-build-42"], always: true },
    ]);
  });

  it("only builds and cleans up when the build is not pushed", () => {
    expect(builderSteps("buildah", { ...sessionApi, push: false }).map((step) => step.label)).toEqual(["build", "remove manifest list"]);
  });

  it("skips TLS verification for loopback and listed registries only", () => {
    const pushArgs = (tags: string[], insecureRegistries?: string[]) =>
      builderSteps("buildah", { ...sessionApi, tags }, { insecureRegistries })
        .filter((step) => step.label.startsWith("push "))
        .map((step) => step.args.includes("--tls-verify=false"));
    expect(pushArgs(["127.0.0.1:5000/lucid/session-api:1", "localhost:5000/lucid/session-api:1", "[::1]:5000/lucid/session-api:1"])).toEqual([true, true, true]);
    expect(pushArgs(["pickme/lucid-session-api:1", "docker.io/pickme/lucid-session-api:1", "registry.lan:5000/lucid/api:1"])).toEqual([false, false, false]);
    expect(pushArgs(["registry.lan:5000/lucid/api:1", "mirror.lan/lucid/api:1"], ["registry.lan:5000", "mirror.lan"])).toEqual([true, true]);
    const [, loopbackPush] = builderSteps("buildah", { ...sessionApi, tags: ["127.0.0.1:5000/lucid/session-api:1"] });
    expect(loopbackPush?.args).toEqual([...vfs, "manifest", "push", "--all", "--format", "v2s2", "--tls-verify=false", "lucid-build-42", "docker://127.0.0.1:5000/lucid/session-api:1"]);
  });

  it("keeps its own storage under storageRoot", () => {
    const steps = builderSteps("buildah", sessionApi, { storageRoot: "/var/lib/lucid/buildah" });
    for (const step of steps) expect(step.args.slice(0, 6)).toEqual(["--root", "/var/lib/lucid/buildah/storage", "--runroot", "/var/lib/lucid/buildah/run", "--storage-driver", "vfs"]);
  });
});

const misreadSpecs: Array<[Partial<BuildSpec>, RegExp]> = [
  [{ dockerfile: "sessions/Dockerfile.api" }, /dockerfile must be an absolute path/],
  [{ context: "sessions/" }, /context must be an absolute path/],
  [{ platforms: [] }, /at least one platform/],
  [{ platforms: ["linux/arm64", "--push"] }, /not a platform/],
  [{ tags: ["--output=type=local,dest=/"] }, /not an image reference/],
  [{ tags: [] }, /needs at least one tag/],
  [{ manifestName: "--all" }, /not a manifest list name/],
];

describe("builderSteps refuses specs a builder would misread", () => {
  it.each(misreadSpecs)("%o", (override, message) => {
    expect(() => builderSteps("buildx", { ...sessionApi, ...override })).toThrow(message);
    expect(() => builderSteps("buildah", { ...sessionApi, ...override })).toThrow(message);
  });
});

describe("registryOf", () => {
  it("reads the registry as Docker does", () => {
    expect(registryOf("pickme/lucid-session-api:latest")).toBe("docker.io");
    expect(registryOf("ubuntu")).toBe("docker.io");
    expect(registryOf("localhost/lucid:1")).toBe("localhost");
    expect(registryOf("127.0.0.1:5000/lucid/api:1")).toBe("127.0.0.1:5000");
    expect(registryOf("ghcr.io/hamigames/lucid:1")).toBe("ghcr.io");
  });
});

describe("environment", () => {
  it("defaults to buildx and names both choices when LUCID_BUILDER is wrong", () => {
    expect(backendFromEnv({})).toBe("buildx");
    expect(backendFromEnv({ LUCID_BUILDER: "buildah" })).toBe("buildah");
    expect(() => backendFromEnv({ LUCID_BUILDER: "kaniko" })).toThrow('LUCID_BUILDER must be one of "buildx", "buildah", not "kaniko"');
  });

  it("takes buildah's storage folder from LUCID_BUILDAH_ROOT", () => {
    expect(builderOptionsFromEnv({})).toEqual({});
    expect(builderOptionsFromEnv({ LUCID_BUILDAH_ROOT: "/var/lib/lucid/buildah" })).toEqual({ storageRoot: "/var/lib/lucid/buildah" });
  });
});

describe("buildah for real, pushing to a loopback registry", () => {
  const hasTools = existsSync("/usr/bin/buildah") && existsSync("/usr/bin/docker-registry");
  let work: string;
  let registry: ChildProcess | null = null;
  let port: number;

  beforeAll(async () => {
    if (!hasTools) return;
    work = mkdtempSync(path.join(tmpdir(), "lucid-buildah-"));
    port = await freeLoopbackPort();
    registry = startRegistry(work, port);
    await waitForRegistry(port);
  });

  afterAll(async () => {
    if (registry) await stopProcess(registry);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.skipIf(!hasTools)("builds two platforms, keeps USER, HEALTHCHECK and EXPOSE, and pushes every tag", async () => {
    const context = path.join(work, "context");
    mkdirSync(context);
    writeFileSync(path.join(context, "hello.txt"), "hello\n");
    writeFileSync(
      path.join(context, "Dockerfile"),
      'FROM scratch\nCOPY hello.txt /hello.txt\nUSER 65532:65532\nHEALTHCHECK CMD ["/hello"]\nEXPOSE 8090\n',
    );
    const repository = "lucid/smoke";
    const tags = [`127.0.0.1:${port}/${repository}:latest-arm64`, `127.0.0.1:${port}/${repository}:latest-20251024-155132`];
    const steps = builderSteps(
      "buildah",
      { dockerfile: path.join(context, "Dockerfile"), context, platforms: ["linux/arm64", "linux/amd64"], tags, push: true, metadataFile: path.join(work, "metadata.json"), manifestName: "lucid-build-smoke" },
      { storageRoot: path.join(work, "buildah") },
    );
    const log = new BuildLog(path.join(work, "logs", "build.log"));

    const result = await runSteps(steps, { cwd: work, timeoutMs: 60_000, onLine: (line) => log.write(line) });
    log.close();

    const logText = (await readLog(log.file)).lines.map((line) => line.text).join("\n");
    expect(result, logText).toEqual({ outcome: "succeeded", exitCode: 0, failedStep: null, message: null });
    expect(logText).toContain("$ buildah --root");
    expect(await registryJson(port, `/v2/${repository}/tags/list`)).toEqual({ name: repository, tags: expect.arrayContaining(["latest-arm64", "latest-20251024-155132"]) });

    const index = await registryJson(port, `/v2/${repository}/manifests/latest-arm64`);
    expect(index.mediaType).toBe("application/vnd.docker.distribution.manifest.list.v2+json");
    const entries = index.manifests as Array<{ digest: string; platform: { os: string; architecture: string } }>;
    expect(entries.map((entry) => `${entry.platform.os}/${entry.platform.architecture}`).sort()).toEqual(["linux/amd64", "linux/arm64"]);
    const manifest = await registryJson(port, `/v2/${repository}/manifests/${entries[0]?.digest}`);
    const config = await registryJson(port, `/v2/${repository}/blobs/${(manifest.config as { digest: string }).digest}`);
    expect(config.config).toMatchObject({ User: "65532:65532", ExposedPorts: { "8090/tcp": {} }, Healthcheck: { Test: ["CMD", "/hello"] } });
  });
});

const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

async function registryJson(port: number, pathname: string): Promise<Record<string, unknown>> {
  const response = await fetch(`http://127.0.0.1:${port}${pathname}`, { headers: { Accept: MANIFEST_TYPES } });
  expect(response.status, pathname).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

function startRegistry(work: string, port: number): ChildProcess {
  const config = path.join(work, "registry.yml");
  writeFileSync(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(work, "registry")}\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  return spawn("/usr/bin/docker-registry", ["serve", config], { stdio: "ignore" });
}

async function waitForRegistry(port: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const ready = await fetch(`http://127.0.0.1:${port}/v2/`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the registry on 127.0.0.1:${port} did not start`);
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
