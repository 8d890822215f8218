import { mkdtemp, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadComposeProject, MAX_COMPOSE_BYTES, readComposeProject, type ComposeProject } from "@/lib/deploy/compose/project";
import type { ComposeService } from "@/lib/deploy/compose/services";
import { FIXTURE_ROOT, hasLucidFixtures } from "@/lib/testing/lucid-fixtures";

const read = (files: Record<string, string>, variables: Record<string, string> = {}) =>
  readComposeProject(Object.entries(files).map(([p, text]) => ({ path: p, text })), variables);

function services(project: ComposeProject): Record<string, ComposeService> {
  if (!project.ok) throw new Error(`not readable: ${JSON.stringify(project.problems)}`);
  return Object.fromEntries(project.services.map((s) => [s.name, s]));
}

function problems(project: ComposeProject) {
  if (project.ok) throw new Error("expected problems");
  return project.problems;
}

describe("readComposeProject", () => {
  it("reads anchors and merge keys: the service's own keys win, and each setting says where it was written", () => {
    const project = read({
      "compose.yml": [
        "x-hardened: &hardened",
        "  read_only: true",
        "  cap_drop: [ALL]",
        "  user: \"65532:65532\"",
        "services:",
        "  api:",
        "    <<: *hardened",
        "    user: root",
        "    image: pickme/lucid-api:${TAG:-latest}",
        "    ports: [\"8080:80\"]",
      ].join("\n"),
    });
    const api = services(project).api!;
    expect(api).toMatchObject({ image: "pickme/lucid-api:latest", readOnly: true, capDrop: ["ALL"], user: "root" });
    expect(api.positions.read_only).toEqual({ file: "compose.yml", line: 2, excerpt: "read_only: true" });
    expect(api.positions.user).toEqual({ file: "compose.yml", line: 8, excerpt: "user: root" });
    expect(api.ports).toEqual([{ target: 80, published: 8080, hostIp: null, protocol: "tcp", position: { file: "compose.yml", line: 10, excerpt: 'ports: ["8080:80"]' } }]);
  });

  it("resolves each alias to the last anchor of that name before it, as YAML says", () => {
    const project = read({
      "c.yml": ["x-a: &img pickme/lucid-api:1", "services:", "  one: { image: *img, labels: { again: &img pickme/lucid-api:2 } }", "  two: { image: *img }"].join("\n"),
    });
    const all = services(project);
    expect([all.one!.image, all.two!.image]).toEqual(["pickme/lucid-api:1", "pickme/lucid-api:2"]);
    expect(problems(read({ "c.yml": "services:\n  a: { image: *nowhere }\n" }))[0]).toMatchObject({ line: 2 });
  });

  it("merges files in order as docker compose -f a -f b does", () => {
    const base = [
      "services:",
      "  api:",
      "    image: pickme/lucid-api:1",
      "    ports: [\"8080:80\", \"9090:90\"]",
      "    environment: [A=1, B=2]",
      "    cap_drop: [ALL]",
      "    healthcheck:",
      "      test: [CMD, /bin/check, --slow]",
      "      interval: 30s",
      "  worker:",
      "    image: pickme/lucid-worker:1",
      "    ports: [\"7000:7000\"]",
    ].join("\n");
    const override = [
      "services:",
      "  api:",
      "    image: pickme/lucid-api:2",
      "    ports:",
      "      - target: 80",
      "        published: 8080",
      "      - \"8443:443\"",
      "    environment: { B: three }",
      "    cap_drop: [NET_RAW]",
      "    healthcheck:",
      "      test: [CMD, /bin/check]",
      "  worker:",
      "    ports: !reset []",
      "    networks: !override [lucid-pi-network]",
    ].join("\n");
    const merged = services(read({ "a.yml": base, "b.yml": override }));
    expect(merged.api!.image).toBe("pickme/lucid-api:2");
    expect(merged.api!.positions.image).toEqual({ file: "b.yml", line: 3, excerpt: "image: pickme/lucid-api:2" });
    // Ports are unique by what they publish: the long form of 8080:80 replaces the short one, 8443 is added.
    expect(merged.api!.ports.map((p) => `${p.published}:${p.target}`)).toEqual(["8080:80", "9090:90", "8443:443"]);
    expect(merged.api!.ports[0]!.position).toEqual({ file: "b.yml", line: 5, excerpt: "- target: 80" });
    // Sequences are appended; healthcheck.test is replaced, not appended.
    expect(merged.api!.capDrop).toEqual(["ALL", "NET_RAW"]);
    expect(merged.api!.healthcheck).toEqual({ test: ["CMD", "/bin/check"], disabled: false });
    expect(merged.worker!.ports).toEqual([]);
    expect(merged.worker!.networks).toEqual(["lucid-pi-network"]);
  });

  it("interpolates values (never keys) from the deployment's variables, and says which were not set", () => {
    const project = read(
      { "c.yml": "services:\n  ${NAME}:\n    image: \"pickme/x:${TAG}\"\n    user: \"$${NOT_A_VAR}\"\n    platform: ${PLATFORM:-linux/arm64}\n" },
      { TAG: "20261130" },
    );
    expect(services(project)["${NAME}"]).toMatchObject({ image: "pickme/x:20261130", user: "${NOT_A_VAR}", platform: "linux/arm64" });
    expect(project.ok && project.unset).toEqual(["PLATFORM"]);
  });

  it("refuses the whole project for a problem in any file, with every problem's file, line and excerpt", () => {
    const found = problems(
      read({
        "good.yml": "services:\n  a:\n    image: x\n",
        "bad.yml": "services:\n  b:\n    image: x\n    ports:\n      - \"${PORT:8801}:8801\"\n    environment:\n      - URL=${URL:?URL not set}\n",
      }),
    );
    expect(found).toEqual([
      expect.objectContaining({ file: "bad.yml", line: 5, excerpt: '- "${PORT:8801}:8801"', message: expect.stringContaining("invalid interpolation format") }),
      expect.objectContaining({ file: "bad.yml", line: 7, message: "required variable URL is not set: URL not set" }),
    ]);
  });

  it.each([
    ["a YAML syntax error", "services:\n  a:\n    image: x: y\n    user: z\n", 3],
    ["a key set twice", "services:\n  a:\n    image: x\n    image: y\n", 4],
    ["a top level that is not a mapping", "- just\n- a list\n", 1],
    ["a port Compose refuses", "services:\n  a:\n    image: x\n    ports: [\"70000:80\"]\n", 4],
    ["services that are not a mapping", "services: [a, b]\n", 1],
  ])("reports %s with its line", (_, text, line) => {
    const [first] = problems(read({ "x.yml": text }));
    expect(first).toMatchObject({ file: "x.yml", line });
  });

  it("reads 1,500 services sharing one anchor, and treats a __proto__ key as a key", () => {
    const lines = ["x-hardened: &h { read_only: true }", "services:"];
    for (let i = 0; i < 1_500; i++) lines.push(`  s${i}:`, "    <<: *h", `    image: pickme/s${i}`);
    lines.push("  p:", "    image: x", "    labels: { __proto__: polluted }");
    const all = services(read({ "big.yml": lines.join("\n") }));
    expect(Object.keys(all)).toHaveLength(1_501);
    expect(all.s1499!.readOnly).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a file that expands without bound (billion laughs) and one larger than the cap, without hanging", () => {
    const laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) laughs.push(`${"abcdefghij"[i]}: &${"abcdefghij"[i]} [${Array(10).fill(`*${"abcdefghij"[i - 1]}`).join(", ")}]`);
    const started = performance.now();
    expect(problems(read({ "laughs.yml": laughs.join("\n") }))[0]!.message).toMatch(/aliases/);
    // A 5 MB file: refused before parsing, with its size limit named.
    const big = `services:\n  a:\n    image: x\n` + `x-padding: "${"p".repeat(5 * 1024 * 1024)}"\n`;
    expect(MAX_COMPOSE_BYTES).toBeLessThan(5 * 1024 * 1024);
    expect(problems(read({ "big.yml": big }))[0]).toMatchObject({ file: "big.yml", line: null, message: `the file is larger than ${MAX_COMPOSE_BYTES} bytes; it is not read` });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe.skipIf(!hasLucidFixtures)("the Lucid Compose files", () => {
  it("reads the session images' file: nine services with their images and published ports", async () => {
    const project = await loadComposeProject(FIXTURE_ROOT, { files: ["build/docker-compose.session-images.yml"] });
    const all = services(project);
    expect(Object.keys(all)).toHaveLength(9);
    expect(all["session-api"]).toMatchObject({ image: "pickme/lucid-session-api:latest-arm64" });
    expect(all["session-api"]!.ports.map((p) => p.published)).toEqual([8113]);
    expect(all["session-api"]!.positions.ports).toEqual({ file: "build/docker-compose.session-images.yml", line: 158, excerpt: "ports:" });
  });

  it("refuses the RDP file as Compose does: ${RDP_SERVER_MANAGER_PORT:8801} is not a valid interpolation", async () => {
    const project = await loadComposeProject(FIXTURE_ROOT, { files: ["RDP/docker-compose.server-images.yml"] });
    expect(problems(project)).toContainEqual(
      expect.objectContaining({
        file: "RDP/docker-compose.server-images.yml",
        line: 18,
        excerpt: '- "${RDP_SERVER_MANAGER_PORT:8801}:${RDP_SERVER_MANAGER_PORT:8801}"',
        message: expect.stringContaining("invalid interpolation format"),
      }),
    );
  });
});

describe("loadComposeProject", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "lucid-compose-"));
    await mkdir(path.join(root, "deploy"));
    await writeFile(path.join(root, "deploy/compose.yml"), "services:\n  api:\n    image: pickme/lucid-api:${TAG}\n");
    await writeFile(path.join(root, "deploy/.env"), "# deployment\nTAG=20261130-120000\n");
    await writeFile(path.join(root, "other.env"), "TAG=other\n");
    await writeFile(path.join(tmpdir(), "lucid-outside.yml"), "services: {}\n");
    await symlink(path.join(tmpdir(), "lucid-outside.yml"), path.join(root, "deploy/outside.yml"));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it("takes variables from the .env beside the first file, or the env file named, never from the dashboard's environment", async () => {
    process.env.TAG = "from-the-dashboard";
    try {
      expect(services(await loadComposeProject(root, { files: ["deploy/compose.yml"] })).api!.image).toBe("pickme/lucid-api:20261130-120000");
      expect(services(await loadComposeProject(root, { files: ["deploy/compose.yml"], envFile: "other.env" })).api!.image).toBe("pickme/lucid-api:other");
    } finally {
      delete process.env.TAG;
    }
  });

  it("reads only files inside the checkout, and says which file could not be read", async () => {
    expect(problems(await loadComposeProject(root, { files: ["deploy/outside.yml"] }))[0]).toMatchObject({ file: "deploy/outside.yml", message: expect.stringContaining("outside the checkout") });
    expect(problems(await loadComposeProject(root, { files: ["../etc/compose.yml"] }))[0]!.message).toContain("leaves the checkout");
    expect(problems(await loadComposeProject(root, { files: ["deploy/missing.yml"] }))[0]).toMatchObject({ file: "deploy/missing.yml" });
    expect(problems(await loadComposeProject(root, { files: ["deploy/compose.yml"], envFile: "missing.env" }))[0]).toMatchObject({ file: "missing.env" });
  });
});
