// What the Pi reports it runs (POST /api/deployments): the output of Docker's own commands, piped as they are.
//   docker compose ps --all --format json      one JSON object per line (Compose ≥ 2.21) or one array (older)
//   docker compose images --format json        which image ID each container runs
//   docker image inspect <ids>                 the repository digests of those images
// and, instead of the first two, `docker inspect <container ids>` is understood too. The body is these JSON values
// one after another; each is recognised by its shape, anything else is refused with its position.
import { z } from "zod";

export const MAX_REPORT_BYTES = 2 * 1024 * 1024;
export const MAX_CONTAINERS = 1_000;

export class ReportError extends Error {
  override name = "ReportError";
}

export type ReportedContainer = {
  service: string;
  project: string | null;
  containerName: string;
  image: string;
  imageId: string | null;
  repoDigests: string[];
  state: string;
  health: string | null;
  startedAt: Date | null;
  status: string | null;
};

/** The JSON values of a body that holds several one after another (lines, arrays, pretty-printed objects). */
export function jsonValues(text: string): unknown[] {
  const values: unknown[] = [];
  let i = 0;
  const line = (at: number) => text.slice(0, at).split("\n").length;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    if (text[i] !== "{" && text[i] !== "[") throw new ReportError(`line ${line(start)}: expected a JSON object or array, found ${JSON.stringify(text.slice(start, start + 20))}`);
    let depth = 0;
    let inString = false;
    for (; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{" || c === "[") depth++;
      else if ((c === "}" || c === "]") && --depth === 0) {
        i++;
        break;
      }
    }
    if (depth !== 0) throw new ReportError(`line ${line(start)}: a JSON value is not closed`);
    try {
      values.push(JSON.parse(text.slice(start, i)));
    } catch (error) {
      throw new ReportError(`line ${line(start)}: not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  return values;
}

const text = (max = 300) => z.string().max(max);
const optionalText = (max = 300) => z.string().max(max).nullish().transform((v) => (v ? v : null));

const composePs = z.object({ Service: text(), Project: optionalText(), Name: text(), Image: text(), State: text(60), Health: optionalText(60), Status: optionalText() });
const composeImage = z.object({ ContainerName: text(), ID: text(200) });
const imageInspect = z.object({ Id: text(200), RepoDigests: z.array(text()).max(100).nullish() });
const containerInspect = z.object({
  Name: text(),
  Image: text(200),
  Config: z.object({ Image: text(), Labels: z.record(z.string(), z.string()).nullish() }),
  State: z.object({ Status: text(60), StartedAt: optionalText(60), Health: z.object({ Status: text(60) }).nullish() }),
});

function dateOf(value: string | null): Date | null {
  if (!value || value.startsWith("0001-")) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The containers a report describes, with the image ID and digests of each where the report says them. */
export function parseReport(body: string): ReportedContainer[] {
  if (Buffer.byteLength(body) > MAX_REPORT_BYTES) throw new ReportError(`the report is larger than ${MAX_REPORT_BYTES} bytes`);
  const items = jsonValues(body).flatMap((v) => (Array.isArray(v) ? v : [v]));
  const containers = new Map<string, ReportedContainer>();
  const imageIds = new Map<string, string>();
  const digests = new Map<string, string[]>();
  items.forEach((item, index) => {
    const where = `item ${index + 1}`;
    if (item === null || typeof item !== "object") throw new ReportError(`${where}: expected an object`);
    const keys = item as Record<string, unknown>;
    const problem = (error: z.ZodError) => new ReportError(`${where}: ${error.issues.map((i) => `${i.path.join(".") || "value"} ${i.message}`).join("; ")}`);
    if ("Service" in keys && "State" in keys) {
      const parsed = composePs.safeParse(item);
      if (!parsed.success) throw problem(parsed.error);
      const c = parsed.data;
      containers.set(c.Name, { service: c.Service, project: c.Project, containerName: c.Name, image: c.Image, imageId: null, repoDigests: [], state: c.State, health: c.Health, startedAt: null, status: c.Status });
    } else if ("ContainerName" in keys && "ID" in keys) {
      const parsed = composeImage.safeParse(item);
      if (!parsed.success) throw problem(parsed.error);
      imageIds.set(parsed.data.ContainerName, parsed.data.ID);
    } else if ("Id" in keys && "RepoDigests" in keys) {
      const parsed = imageInspect.safeParse(item);
      if (!parsed.success) throw problem(parsed.error);
      digests.set(parsed.data.Id, parsed.data.RepoDigests ?? []);
    } else if ("Config" in keys && "State" in keys && "Name" in keys) {
      const parsed = containerInspect.safeParse(item);
      if (!parsed.success) throw problem(parsed.error);
      const c = parsed.data;
      const labels = c.Config.Labels ?? {};
      const name = c.Name.replace(/^\//, "");
      containers.set(name, {
        service: labels["com.docker.compose.service"] ?? name,
        project: labels["com.docker.compose.project"] ?? null,
        containerName: name,
        image: c.Config.Image,
        imageId: c.Image,
        repoDigests: [],
        state: c.State.Status,
        health: c.State.Health?.Status ?? null,
        startedAt: dateOf(c.State.StartedAt),
        status: null,
      });
    } else {
      throw new ReportError(`${where}: not a container or image Docker describes (expected docker compose ps / images or docker inspect output)`);
    }
    if (containers.size > MAX_CONTAINERS) throw new ReportError(`more than ${MAX_CONTAINERS} containers in one report`);
  });
  if (containers.size === 0) throw new ReportError("the report names no container: send the output of docker compose ps --all --format json");
  return [...containers.values()].map((c) => {
    const imageId = c.imageId ?? imageIds.get(c.containerName) ?? null;
    return { ...c, imageId, repoDigests: imageId ? (digests.get(imageId) ?? []) : [] };
  });
}
