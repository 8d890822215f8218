import { formatReference, parseReference } from "@/lib/registry/reference";

const DATE_TEMPLATE = /\$\(date \+([^)]*)\)/g;
const HAS_DATE_TEMPLATE = /\$\(date \+[^)]*\)/;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `date +FORMAT` for the fields build-commands documents use, in UTC. */
function strftime(format: string, now: Date): string {
  return format.replace(/%(.)/g, (whole, field: string) => {
    switch (field) {
      case "Y": return String(now.getUTCFullYear());
      case "m": return pad(now.getUTCMonth() + 1);
      case "d": return pad(now.getUTCDate());
      case "H": return pad(now.getUTCHours());
      case "M": return pad(now.getUTCMinutes());
      case "S": return pad(now.getUTCSeconds());
      case "%": return "%";
      default: throw new Error(`unsupported date field ${whole} in a tag template`);
    }
  });
}

/** The timestamp the summary's tags carry, e.g. 20251024-155132 (UTC here). */
function buildTimestamp(now: Date): string {
  return strftime("%Y%m%d-%H%M%S", now);
}

/**
 * The tags one build pushes: the plan's tags with `$(date ...)` templates expanded, plus
 * `<repository>:latest-<timestamp>` when the plan has no templated tag. With `registry` set
 * (LUCID_REGISTRY, e.g. a local registry), Docker Hub references are pushed there instead.
 * Every result is checked against the reference grammar; a bad one throws with its text.
 */
export function buildTags(planTags: readonly string[], repository: string, now: Date, registry: string | null = null): string[] {
  const templated = planTags.some((t) => HAS_DATE_TEMPLATE.test(t));
  const expanded = planTags.map((t) => t.replace(DATE_TEMPLATE, (_m, format: string) => strftime(format, now)));
  if (!templated) expanded.push(`${repository}:latest-${buildTimestamp(now)}`);
  const refs = expanded.map((tag) => {
    const parsed = parseReference(tag);
    return registry && parsed.registry === "docker.io" ? formatReference({ ...parsed, registry }) : tag;
  });
  return [...new Set(refs)];
}

