// The supply chain against a real registry on loopback (Debian's docker-registry): the read-back of 35 pushed
// images' attestations (an SBOM of `packages` packages and a provenance per platform) and signatures, and the
// freshness check of every base the plan's Dockerfiles name. Goal: each under 2 s.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase } from "@/lib/db/test-database";
import { mapWithLimit } from "@/lib/concurrency";
import { seedDefaults } from "@/lib/plan/seed";
import { digestOf, pushCosignSignature, pushTestImage, startTestRegistry } from "@/lib/registry/testing";
import { checkBaseReferences } from "@/lib/supply-chain/base-check";
import { planSupplyChain } from "@/lib/supply-chain/plan";
import { readSupplyChain } from "@/lib/supply-chain/read";
import { cosignTestKey, provenanceV02, spdx } from "@/lib/supply-chain/testing";
import { percentile } from "./stats";

export type SupplyChainFigures = { images: number; bases: number; readBackMs: number; baseCheckMs: number; freshnessMs: number };

export async function benchSupplyChain(runs: number, packages: number): Promise<SupplyChainFigures> {
  const registry = await startTestRegistry();
  const db = await createTestDatabase();
  const checkout = await mkdtemp(path.join(tmpdir(), "lucid-bench-bases-"));
  try {
    const { prisma } = db;
    await seedDefaults(prisma);
    const images = await prisma.image.findMany({ select: { id: true, name: true, dockerfile: true }, orderBy: { id: "asc" } });
    const reg = registry.host;
    const baseRefs = Array.from({ length: 10 }, (_, i) => `${reg}/bases/base-${i}:latest`);
    const baseLayers = baseRefs.map((_, i) => Buffer.from(`base ${i}`));
    for (const [i, ref] of baseRefs.entries()) {
      await pushTestImage(reg, ref.slice(reg.length + 1, ref.lastIndexOf(":")), "latest", platforms([baseLayers[i]!]));
    }
    const key = cosignTestKey();
    const sbom = spdx(Array.from({ length: packages }, (_, i) => ({ name: `package-${i}`, license: i % 10 === 0 ? "GPL-2.0-only" : "MIT" })));
    const pushes = [];
    for (const [i, image] of images.entries()) {
      const base = i % baseRefs.length;
      await mkdir(path.join(checkout, path.dirname(image.dockerfile)), { recursive: true });
      await writeFile(path.join(checkout, image.dockerfile), `FROM ${baseRefs[(base + 1) % baseRefs.length]} AS build\nFROM ${baseRefs[base]}\nCOPY --from=build /app /app\nUSER 65532:65532\n`);
      const layers = [baseLayers[base]!, Buffer.from(image.name)];
      const pushed = await pushTestImage(reg, `pickme/${image.name}`, "latest-arm64", platforms(layers), {
        statements: () => [sbom, provenanceV02([{ uri: `pkg:docker/${baseRefs[base]}?platform=linux%2Farm64`, sha256: "0".repeat(64) }])],
      });
      await pushCosignSignature(reg, `pickme/${image.name}`, pushed.digest, key.sign);
      const build = await prisma.build.create({
        data: {
          imageId: image.id,
          status: "succeeded",
          source: "dashboard",
          pushed: true,
          digest: pushed.digest,
          finishedAt: new Date(),
          tags: [`${reg}/pickme/${image.name}:latest-arm64`],
          platforms: ["linux/arm64", "linux/amd64"],
          sizes: { create: pushed.platforms.map((p) => ({ platform: p.platform, digest: p.digest, diffIds: layers.map(digestOf) })) },
        },
      });
      pushes.push({ buildId: build.id, tag: `${reg}/pickme/${image.name}:latest-arm64`, digest: pushed.digest });
    }

    const access = { registry: null, credentials: null };
    const readBack: number[] = [];
    const baseCheck: number[] = [];
    const freshness: number[] = [];
    for (let run = 0; run < runs; run++) {
      let started = performance.now();
      const outcomes = await mapWithLimit(pushes, 4, (p) => readSupplyChain(p.tag, p.digest, { access, key: key.publicKey }));
      readBack.push(performance.now() - started);
      const failed = outcomes.filter((o) => !o.ok || o.summary.signature.state !== "verified" || o.summary.platforms.some((p) => p.sbom?.packages !== packages));
      if (failed.length > 0) throw new Error(`supply-chain bench: ${failed.length} read-backs were incomplete`);
      started = performance.now();
      const checked = await checkBaseReferences(prisma, baseRefs, { access, minIntervalMs: 0 });
      baseCheck.push(performance.now() - started);
      if (checked.checked !== baseRefs.length) throw new Error(`supply-chain bench: ${checked.failed.length} bases could not be checked`);
      started = performance.now();
      const plan = await planSupplyChain(prisma, { LUCID_REPO_ROOT: checkout });
      freshness.push(performance.now() - started);
      if (plan.bases.length !== baseRefs.length) throw new Error(`supply-chain bench: ${plan.bases.length} bases found, not ${baseRefs.length}`);
    }
    const median = (values: number[]) => Math.round(percentile(values, 50));
    return { images: pushes.length, bases: baseRefs.length, readBackMs: median(readBack), baseCheckMs: median(baseCheck), freshnessMs: median(freshness) };
  } finally {
    await registry.stop();
    await db.cleanup();
    await rm(checkout, { recursive: true, force: true });
  }
}

function platforms(layers: Buffer[]) {
  return ["linux/arm64", "linux/amd64"].map((platform) => ({ platform, layers, config: { config: { User: "65532:65532" } } }));
}
