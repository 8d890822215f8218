// Compose evidence: how the deployment runs an image, judged beside its Dockerfile and pushed config. The build
// summary promises read-only filesystems, dropped capabilities with security options, user 65532:65532 and the
// lucid-pi-network; these are set (or undone) in the Compose file, so they are measured there, with file, line and
// excerpt. Each rule is a pure function of the service (null: no service runs the image) and the plan.
import { isRootUser, parseUser } from "@/lib/compliance/facts";
import type { Verdict } from "@/lib/compliance/rules/rule";
import type { CompliancePlan, Finding, Severity } from "@/lib/compliance/types";
import type { ComposeService } from "@/lib/deploy/compose/services";

/** What compose rules see: the service that runs the image, or why there is none to judge. */
export type ComposeEvidence = { service: ComposeService } | { service: null; reason: string };

export const LUCID_NETWORK = "lucid-pi-network";
const PI_PLATFORM = "linux/arm64";

type ComposeVerdict = Verdict & { field?: string };

type ComposeRule = { id: string; severity: Severity; summary: string; check(service: ComposeService, plan: CompliancePlan): ComposeVerdict };

const has = (values: readonly string[], wanted: string) => values.some((v) => v.trim().toLowerCase() === wanted.toLowerCase());

const composeReadOnly: ComposeRule = {
  id: "compose-read-only",
  severity: "error",
  summary: "the container's root filesystem is read-only (read_only: true)",
  check: (s) =>
    s.readOnly === true
      ? { status: "pass", field: "read_only", message: "read_only: true" }
      : { status: "fail", field: "read_only", message: s.readOnly === false ? "read_only is false: the container can write to its filesystem" : "read_only is not set: the container can write to its filesystem" },
};

const composeCapDrop: ComposeRule = {
  id: "compose-cap-drop-all",
  severity: "error",
  summary: "every capability is dropped (cap_drop: [ALL]); only named ones are added back",
  check: (s) => {
    const added = s.capAdd.length > 0 ? `; added back: ${s.capAdd.join(", ")}` : "";
    if (has(s.capDrop, "ALL")) return { status: "pass", field: "cap_drop", message: `cap_drop: ALL${added}` };
    return { status: "fail", field: "cap_drop", message: s.capDrop.length > 0 ? `cap_drop drops only ${s.capDrop.join(", ")}, not ALL${added}` : "no capability is dropped (cap_drop is not set)" };
  },
};

const composeNoNewPrivileges: ComposeRule = {
  id: "compose-no-new-privileges",
  severity: "error",
  summary: "security_opt sets no-new-privileges:true",
  check: (s) => {
    const opts = s.securityOpt.map((o) => o.trim().toLowerCase().replace("=", ":"));
    const unconfined = opts.filter((o) => o.endsWith(":unconfined"));
    const note = unconfined.length > 0 ? `; note: ${unconfined.join(", ")}` : "";
    if (opts.includes("no-new-privileges:true") || opts.includes("no-new-privileges")) return { status: "pass", field: "security_opt", message: `no-new-privileges:true${note}` };
    return { status: "fail", field: "security_opt", message: `no-new-privileges is not set: a process can gain privileges through setuid files${note}` };
  },
};

const composeUser: ComposeRule = {
  id: "compose-user",
  severity: "error",
  summary: "the service does not run the image as root, and runs it as the plan's user when it sets one",
  check: (s, plan) => {
    if (s.user === null) return { status: "n/a", field: "user", message: "user is not set: the image's USER applies (see non-root-user and expected-user)" };
    const { user } = parseUser(s.user);
    if (isRootUser(user)) return { status: "fail", field: "user", message: `user: ${s.user} runs the container as root, whatever the image says` };
    if (s.user !== plan.expectedUser) return { status: "warn", field: "user", message: `user: ${s.user} is not the plan's ${plan.expectedUser}` };
    return { status: "pass", field: "user", message: `user: ${s.user}` };
  },
};

const composeHealthcheck: ComposeRule = {
  id: "compose-healthcheck",
  severity: "warning",
  summary: "the service has a health check, and does not turn the image's off",
  check: (s) => {
    if (!s.healthcheck) return { status: "warn", field: "healthcheck", message: "no healthcheck in the Compose file: only the image's HEALTHCHECK, if any, applies" };
    if (s.healthcheck.disabled) return { status: "fail", field: "healthcheck", message: "the health check is disabled (disable: true or test: NONE)" };
    return { status: "pass", field: "healthcheck", message: `healthcheck: ${s.healthcheck.test.join(" ").slice(0, 160)}` };
  },
};

const composeNetwork: ComposeRule = {
  id: "compose-network",
  severity: "warning",
  summary: `the service is on the ${LUCID_NETWORK} network`,
  check: (s) =>
    s.networks.includes(LUCID_NETWORK)
      ? { status: "pass", field: "networks", message: `networks: ${s.networks.join(", ")}` }
      : { status: "fail", field: "networks", message: s.networks.length > 0 ? `on ${s.networks.join(", ")}, not ${LUCID_NETWORK}` : `no networks: the project's default network, not ${LUCID_NETWORK}` },
};

const composePlatform: ComposeRule = {
  id: "compose-platform",
  severity: "warning",
  summary: `the service runs the ${PI_PLATFORM} image (platform: ${PI_PLATFORM})`,
  check: (s) =>
    s.platform === PI_PLATFORM
      ? { status: "pass", field: "platform", message: `platform: ${PI_PLATFORM}` }
      : { status: "fail", field: "platform", message: s.platform ? `platform: ${s.platform}, not ${PI_PLATFORM}` : `platform is not set: the engine picks its own platform's image` },
};

/** A tag that names one build: a date with a time or a long date (20261130, 20261130-120000, v1.2.3-20261130). */
const TIMESTAMPED_TAG = /(^|[^0-9])20\d{6}([-_T.]?\d{4,6})?([^0-9]|$)/;

const composeImagePinned: ComposeRule = {
  id: "compose-image-pinned",
  severity: "warning",
  summary: "the image is referenced by digest or by a timestamped tag, not a moving tag",
  check: (s) => {
    const image = s.image ?? "";
    if (image.includes("@sha256:")) return { status: "pass", field: "image", message: `image: ${image} (by digest)` };
    const at = image.lastIndexOf(":");
    const tag = at > image.lastIndexOf("/") ? image.slice(at + 1) : "latest";
    if (TIMESTAMPED_TAG.test(tag)) return { status: "pass", field: "image", message: `image: ${image} (a timestamped tag)` };
    return { status: "fail", field: "image", message: `image: ${image || "(none)"} uses the moving tag ${tag}: what runs changes with every push` };
  },
};

export const COMPOSE_RULES: readonly ComposeRule[] = [composeReadOnly, composeCapDrop, composeNoNewPrivileges, composeUser, composeHealthcheck, composeNetwork, composePlatform, composeImagePinned];

/** The compose findings of one image: each rule's verdict with the file, line and excerpt that decided it. */
export function analyseComposeEvidence(evidence: ComposeEvidence, plan: CompliancePlan): Finding[] {
  return COMPOSE_RULES.map((rule): Finding => {
    if (evidence.service === null) {
      return { rule: rule.id, status: "n/a", severity: rule.severity, line: null, message: evidence.reason, excerpt: null, source: "compose", file: null };
    }
    const verdict = rule.check(evidence.service, plan);
    const at = (verdict.field && evidence.service.positions[verdict.field]) || evidence.service.positions[""] || null;
    return {
      rule: rule.id,
      status: verdict.status,
      severity: rule.severity,
      line: at?.line ?? null,
      message: `${evidence.service.name}: ${verdict.message}`,
      excerpt: at?.excerpt ?? null,
      source: "compose",
      file: at?.file ?? null,
    };
  });
}
