// Rebuild latency: request → builder process started, and builder log line → browser-side reader.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { createPrismaClient } from "@/lib/db/client";
import { createToken } from "@/lib/tokens/tokens";
import { LUCID_PLAN } from "@/lib/plan/lucid-plan";
import { startServer } from "./server";
import { summarize, type Summary } from "./stats";

const IMAGES = LUCID_PLAN.phases.flatMap((p) => p.images);
const TICKS = 20;

/** A checkout with an (empty) Dockerfile at every planned path, and a stand-in `docker` that reports timings. */
function standIns(dir: string) {
  const checkout = path.join(dir, "checkout");
  for (const image of IMAGES) {
    mkdirSync(path.join(checkout, image.context), { recursive: true });
    mkdirSync(path.dirname(path.join(checkout, image.dockerfile)), { recursive: true });
    writeFileSync(path.join(checkout, image.dockerfile), "FROM scratch\n");
  }
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  const spawnLog = path.join(dir, "spawned.txt");
  // A POSIX sh script: its own start-up is a millisecond or two, so the figure is the dashboard's.
  writeFileSync(
    path.join(bin, "docker"),
    `#!/bin/sh
echo "$(date +%s%3N)" >> "${spawnLog}"
i=0
while [ $i -lt ${TICKS} ]; do echo "tick $(date +%s%3N)"; i=$((i+1)); sleep 0.1; done
`,
  );
  chmodSync(path.join(bin, "docker"), 0o755);
  return { checkout, bin, spawnLog };
}

async function waitFinished(baseUrl: string, id: number, token: string) {
  for (;;) {
    const build = (await (await fetch(`${baseUrl}/api/builds/${id}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { status: string };
    if (build.status !== "queued" && build.status !== "running") return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function benchRebuild(port: number, databaseFile: string, rounds: number): Promise<Record<string, Summary>> {
  const dir = mkdtempSync(path.join(tmpdir(), "lucid-bench-"));
  const { checkout, bin, spawnLog } = standIns(dir);
  const server = await startServer(port, databaseFile, {
    LUCID_REPO_ROOT: checkout,
    LUCID_BUILDER: "buildx",
    LUCID_LOG_DIR: path.join(dir, "logs"),
    // The push check reads back from this closed loopback port: never Docker Hub.
    LUCID_REGISTRY: "127.0.0.1:9",
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
  });
  const prisma = createPrismaClient(`file:./${databaseFile}`);
  const { token } = await createToken(prisma, "bench", ["builds:run"]);
  await prisma.$disconnect();
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
  // The reader is a signed-in browser: the log stream needs a session.
  const context = await browser.newContext();
  const split = server.cookie.indexOf("=");
  await context.addCookies([{ name: server.cookie.slice(0, split), value: server.cookie.slice(split + 1), url: server.baseUrl }]);
  const page = await context.newPage();
  await page.goto(server.baseUrl + "/api/plan");

  const toSpawn: number[] = [];
  const toReader: number[] = [];
  try {
    // Round 0 warms the route and the worker up and is not counted.
    for (let round = 0; round <= rounds; round++) {
      const image = IMAGES[round % IMAGES.length]!;
      const requested = Date.now();
      const response = await fetch(`${server.baseUrl}/api/images/${image.name}/builds`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}` },
      });
      if (response.status !== 201) throw new Error(`${image.name}: ${response.status} ${await response.text()}`);
      const { id } = (await response.json()) as { id: number };
      // The browser reads the log stream and notes when each "tick <written-at>" line arrives.
      const delays = await page.evaluate(
        ({ id, ticks }) =>
          new Promise<number[]>((resolve) => {
            const out: number[] = [];
            const source = new EventSource(`/api/builds/${id}/log`);
            source.addEventListener("line", (event) => {
              const text = (JSON.parse((event as MessageEvent<string>).data) as { text: string }).text;
              const match = /^tick (\d+)$/.exec(text);
              if (match) out.push(Date.now() - Number(match[1]));
              if (out.length === ticks) {
                source.close();
                resolve(out);
              }
            });
            source.addEventListener("end", () => {
              source.close();
              resolve(out);
            });
          }),
        { id, ticks: TICKS },
      );
      // Only ticks that were live (not replayed from the file after the reader connected) count.
      await waitFinished(server.baseUrl, id, token);
      const started = readFileSync(spawnLog, "utf8").trim().split("\n").map(Number).at(-1)!;
      if (round === 0) continue;
      toReader.push(...delays.slice(TICKS / 2));
      toSpawn.push(started - requested);
    }
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    "Rebuild request → builder started": summarize(toSpawn),
    "log line written → browser reader": summarize(toReader),
  };
}
