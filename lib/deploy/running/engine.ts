// What runs, read from a Docker Engine API the admin exposes to the dashboard (LUCID_DOCKER_HOST), e.g. through a
// read-only socket proxy (tecnativa/docker-socket-proxy with CONTAINERS=1 IMAGES=1 and nothing else). Off by
// default: whoever reaches a Docker API that is not read-only controls the host. Two reads per poll:
// GET /containers/json?all=1, and GET /images/{id}/json for each image in use (its repository digests).
import { z } from "zod";
import { MAX_CONTAINERS, type ReportedContainer } from "@/lib/deploy/running/report";
import type { Env } from "@/lib/env";

export type EngineSettings = { baseUrl: string; timeoutMs: number; maxBytes: number };

export class EngineError extends Error {
  override name = "EngineError";
}

/** LUCID_DOCKER_HOST as an http(s) base URL, or null when unset. Throws for anything else. */
export function engineSettings(env: Env = process.env): EngineSettings | null {
  const raw = env.LUCID_DOCKER_HOST?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`LUCID_DOCKER_HOST must be an http(s) URL such as http://127.0.0.1:2375; got ${JSON.stringify(raw.slice(0, 80))}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("LUCID_DOCKER_HOST must start with http:// or https:// (a read-only socket proxy, not the socket itself)");
  if (url.username || url.password) throw new Error("LUCID_DOCKER_HOST must not carry credentials");
  return { baseUrl: url.origin + url.pathname.replace(/\/+$/, ""), timeoutMs: 5_000, maxBytes: 4 * 1024 * 1024 };
}

async function getJson(settings: EngineSettings, path: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${settings.baseUrl}${path}`, { signal: AbortSignal.timeout(settings.timeoutMs), redirect: "error" });
  } catch (error) {
    throw new EngineError(`GET ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new EngineError(`GET ${path} answered ${response.status}`);
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done || !value) break;
    size += value.byteLength;
    if (size > settings.maxBytes) {
      await reader?.cancel();
      throw new EngineError(`GET ${path}: the answer is larger than ${settings.maxBytes} bytes`);
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new EngineError(`GET ${path}: the answer is not JSON`);
  }
}

const containerList = z
  .array(
    z.object({
      Names: z.array(z.string().max(300)).min(1),
      Image: z.string().max(300),
      ImageID: z.string().max(200),
      Labels: z.record(z.string(), z.string()).nullish(),
      State: z.string().max(60),
      Status: z.string().max(300).nullish(),
      Created: z.number().nullish(),
    }),
  )
  .max(MAX_CONTAINERS);

const imageInfo = z.object({ Id: z.string().max(200), RepoDigests: z.array(z.string().max(300)).max(100).nullish() });

/** Docker's health as the container list says it: in Status, "(healthy)", "(unhealthy)", "(health: starting)". */
export function healthFromStatus(status: string | null | undefined): string | null {
  const match = /\((healthy|unhealthy|health: starting)\)/.exec(status ?? "");
  return match ? match[1]!.replace("health: ", "") : null;
}

/** Every container the engine knows, as a report would give them. Throws EngineError when the engine cannot be read. */
export async function readEngine(settings: EngineSettings): Promise<ReportedContainer[]> {
  const listed = containerList.safeParse(await getJson(settings, "/containers/json?all=1"));
  if (!listed.success) throw new EngineError(`GET /containers/json: not a container list (${listed.error.issues[0]?.message ?? "unexpected shape"})`);
  const ids = [...new Set(listed.data.map((c) => c.ImageID))];
  const digests = new Map<string, string[]>();
  for (const id of ids) {
    if (!/^sha256:[0-9a-f]{64}$/.test(id)) continue;
    const info = imageInfo.safeParse(await getJson(settings, `/images/${id}/json`));
    if (info.success) digests.set(id, info.data.RepoDigests ?? []);
  }
  return listed.data.map((c) => {
    const labels = c.Labels ?? {};
    const name = c.Names[0]!.replace(/^\//, "");
    return {
      service: labels["com.docker.compose.service"] ?? name,
      project: labels["com.docker.compose.project"] ?? null,
      containerName: name,
      image: c.Image,
      imageId: c.ImageID,
      repoDigests: digests.get(c.ImageID) ?? [],
      state: c.State,
      health: healthFromStatus(c.Status),
      startedAt: null,
      status: c.Status ?? null,
    };
  });
}
