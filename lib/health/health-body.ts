// What a health endpoint's body says, read the way monitoring tools read the common formats, with no setting:
// - Lucid's services: {"status": "healthy" | "degraded" | "unhealthy", "services": {"mongodb": "down"}}
// - Spring Boot Actuator: {"status": "UP" | "DOWN" | "OUT_OF_SERVICE" | "UNKNOWN", "components": {"db": {"status": "UP"}}}
// - IETF application/health+json (draft-inadarei-api-health-check): {"status": "pass" | "warn" | "fail",
//   "checks": {"db:responseTime": [{"status": "pass"}]}}
// - ASP.NET Core health checks: a plain-text "Healthy" | "Degraded" | "Unhealthy", or their JSON writers
//   ({"status": "Healthy", "entries": {"db": {"status": "Unhealthy"}}})
// - MicroProfile Health: {"status": "UP", "checks": [{"name": "db", "status": "DOWN"}]}
// - Kubernetes-style plain "ok"
// Hand-written: no npm package reads these formats together; each is a documented shape, listed above.

export type BodyVerdict = "up" | "degraded" | "down";

// A Map, not an object: a body saying "constructor" or "__proto__" must find nothing, not Object's own members.
const WORDS = new Map<string, BodyVerdict>([
  ...["healthy", "ok", "up", "pass", "passed", "passing", "green", "online", "available", "ready", "alive", "live", "running", "success", "good", "operational"].map((w) => [w, "up"] as const),
  ...["degraded", "warn", "warning", "yellow", "partial", "partially_available", "partial_outage", "impaired"].map((w) => [w, "degraded"] as const),
  ...["unhealthy", "down", "fail", "failed", "failure", "failing", "error", "critical", "red", "out_of_service", "offline", "unavailable", "not_ok", "notok", "ko", "dead", "stopped", "major_outage"].map((w) => [w, "down"] as const),
]);

/** A status word's verdict, case-insensitive ("UP", "Healthy", "out-of-service"); null for anything else. */
export function verdictOfWord(word: unknown): BodyVerdict | null {
  if (typeof word !== "string") return null;
  return WORDS.get(word.trim().toLowerCase().replace(/[\s-]+/g, "_")) ?? null;
}

/** The maps of dependencies the formats above use, read in this order. */
const DEPENDENCY_KEYS = ["services", "checks", "components", "entries", "details", "dependencies"] as const;

export type Dependency = { name: string; verdict: BodyVerdict };

export type BodyReading = {
  /** The body's own top-level word, when it has one this reader knows. */
  verdict: BodyVerdict | null;
  /** The word as written, for the message ("status \"unhealthy\""). */
  word: string | null;
  /** Dependencies that are not up, by name, in the body's order. */
  unwell: Dependency[];
};

const MAX_DEPENDENCIES = 100;

/** Reads a 2xx body: JSON in one of the formats above, or a plain-text status word. */
export function readHealthBody(text: string): BodyReading {
  const trimmed = text.trim();
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    // A plain-text body ("Healthy", "ok") is a status word when it is one word.
    const verdict = /^[A-Za-z_-]{1,40}$/.test(trimmed) ? verdictOfWord(trimmed) : null;
    return { verdict, word: verdict ? trimmed : null, unwell: [] };
  }
  if (typeof json === "string") return { verdict: verdictOfWord(json), word: verdictOfWord(json) ? json : null, unwell: [] };
  if (json === null || typeof json !== "object" || Array.isArray(json)) return { verdict: null, word: null, unwell: [] };
  const body = json as Record<string, unknown>;
  const status = body.status ?? body.Status ?? body.state;
  const verdict = verdictOfWord(status);
  return { verdict, word: verdict ? String(status) : null, unwell: unwellDependencies(body) };
}

function unwellDependencies(body: Record<string, unknown>): Dependency[] {
  const found: Dependency[] = [];
  for (const key of DEPENDENCY_KEYS) {
    const map = body[key];
    if (Array.isArray(map)) {
      // MicroProfile: [{ name, status }]
      for (const entry of map) {
        const name = entry && typeof entry === "object" ? (entry as Record<string, unknown>).name : null;
        if (typeof name === "string") add(found, name, verdictOfEntry(entry));
      }
    } else if (map && typeof map === "object") {
      for (const [name, value] of Object.entries(map)) add(found, name, verdictOfEntry(value));
    }
    if (found.length >= MAX_DEPENDENCIES) break;
  }
  return found.filter((d) => d.verdict !== "up").slice(0, MAX_DEPENDENCIES);
}

function add(found: Dependency[], name: string, verdict: BodyVerdict | null): void {
  // IETF checks are "component:measurement" with a list of observations; name the component.
  const component = name.split(":")[0]!.slice(0, 80);
  if (verdict && !found.some((d) => d.name === component && d.verdict === verdict)) found.push({ name: component, verdict });
}

/** A dependency's verdict: a bare word, an object with a status, or a list of observations (the worst wins). */
function verdictOfEntry(value: unknown): BodyVerdict | null {
  if (typeof value === "string" || typeof value === "boolean") return typeof value === "boolean" ? (value ? "up" : "down") : verdictOfWord(value);
  if (Array.isArray(value)) return worst(value.map(verdictOfEntry));
  if (value && typeof value === "object") {
    const entry = value as Record<string, unknown>;
    return verdictOfWord(entry.status ?? entry.Status ?? entry.state);
  }
  return null;
}

function worst(verdicts: (BodyVerdict | null)[]): BodyVerdict | null {
  if (verdicts.includes("down")) return "down";
  if (verdicts.includes("degraded")) return "degraded";
  return verdicts.includes("up") ? "up" : null;
}

/** "down: mongodb, redis; degraded: cache" */
export function describeDependencies(unwell: Dependency[]): string | null {
  if (unwell.length === 0) return null;
  const part = (verdict: BodyVerdict) => {
    const names = unwell.filter((d) => d.verdict === verdict).map((d) => d.name);
    return names.length > 0 ? `${verdict}: ${names.join(", ")}` : null;
  };
  return [part("down"), part("degraded")].filter(Boolean).join("; ");
}
