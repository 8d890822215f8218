import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { driftOf, runningDigests } from "@/lib/deploy/running/drift";
import { engineSettings, healthFromStatus, readEngine, type EngineSettings } from "@/lib/deploy/running/engine";
import { CONFIG_DIGEST, startFakeEngine, type FakeEngine } from "@/lib/deploy/running/testing/fake-engine";

const INDEX = `sha256:${"ab".repeat(32)}`;
let engine: FakeEngine;
let settings: EngineSettings;

beforeAll(async () => {
  engine = await startFakeEngine();
  settings = { ...engineSettings({ LUCID_DOCKER_HOST: engine.url })!, timeoutMs: 2_000 };
});
afterAll(async () => engine.close());

describe("readEngine", () => {
  it("reads the containers and their images' digests from a classic image store (ImageID is the config digest)", async () => {
    engine.set({ store: "classic", indexDigest: INDEX });
    const [monitor, tor] = await readEngine(settings);
    expect(monitor).toEqual({ service: "rdp-monitor", project: "lucid", containerName: "rdp-monitor", image: "pickme/lucid-rdp-monitor:latest-arm64", imageId: CONFIG_DIGEST, repoDigests: [`pickme/lucid-rdp-monitor@${INDEX}`], state: "running", health: "healthy", startedAt: null, status: "Up 3 hours (healthy)" });
    expect(tor).toMatchObject({ service: "tor-proxy", repoDigests: [] });
    // Either store, the running image is found among the pushed builds by its index digest.
    expect(driftOf(runningDigests(monitor!.imageId, monitor!.repoDigests), [{ id: 7, finishedAt: null, digests: [INDEX] }]).status).toBe("up_to_date");
  });

  it("reads a containerd image store (ImageID is the index digest)", async () => {
    engine.set({ store: "containerd", indexDigest: INDEX, state: "exited" });
    const [monitor] = await readEngine(settings);
    expect(monitor).toMatchObject({ imageId: INDEX, state: "exited", health: null });
    expect(runningDigests(monitor!.imageId, monitor!.repoDigests)).toEqual([INDEX]);
  });

  it("fails, saying why, when the engine does not answer or answers something else", async () => {
    engine.set({ off: true });
    await expect(readEngine(settings)).rejects.toThrow("GET /containers/json?all=1 answered 503");
    await expect(readEngine({ ...settings, baseUrl: "http://127.0.0.1:9" })).rejects.toThrow(/GET \/containers\/json/);
  });
});

describe("engineSettings", () => {
  it("is off unless LUCID_DOCKER_HOST names an http(s) API, without credentials", () => {
    expect(engineSettings({})).toBeNull();
    expect(engineSettings({ LUCID_DOCKER_HOST: "http://127.0.0.1:2375/" })?.baseUrl).toBe("http://127.0.0.1:2375");
    expect(() => engineSettings({ LUCID_DOCKER_HOST: "unix:///var/run/docker.sock" })).toThrow("http:// or https://");
    expect(() => engineSettings({ LUCID_DOCKER_HOST: "http://u:p@pi.local:2375" })).toThrow("credentials");
  });

  it.each([
    ["Up 3 hours (healthy)", "healthy"],
    ["Up 1 minute (health: starting)", "starting"],
    ["Up 2 days (unhealthy)", "unhealthy"],
    ["Up 2 days", null],
  ])("reads Docker's health from the status %j", (status, health) => {
    expect(healthFromStatus(status)).toBe(health);
  });
});
