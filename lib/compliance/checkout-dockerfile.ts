// A plan image's Dockerfile read from the checkout (LUCID_REPO_ROOT) and analysed, cached by file identity.
import { readFile, stat } from "node:fs/promises";
import { CheckoutPathError, checkoutRoot, resolveInCheckout } from "@/lib/checkout/checkout";
import { analyseDockerfile, analyseMissingDockerfile, analyseUnparsable, dockerfileRulesNotChecked } from "@/lib/compliance/analyse";
import { cached, cacheKey, remember } from "@/lib/compliance/cache";
import { MAX_DOCKERFILE_BYTES } from "@/lib/compliance/dockerfile";
import type { ComplianceOptions, CompliancePlan, DockerfileAnalysis } from "@/lib/compliance/types";
import type { Env } from "@/lib/env";

export async function analyseCheckoutDockerfile(relative: string, plan: CompliancePlan, options: ComplianceOptions, env: Env): Promise<DockerfileAnalysis> {
  let root: string;
  let real: string;
  try {
    root = checkoutRoot(env);
  } catch (error) {
    if (!(error instanceof CheckoutPathError)) throw error;
    return { findings: dockerfileRulesNotChecked(`not checked: ${error.message}`), parseError: null, exposed: null, facts: null };
  }
  try {
    real = await resolveInCheckout(root, relative, "file");
  } catch (error) {
    if (!(error instanceof CheckoutPathError)) throw error;
    return analyseMissingDockerfile(relative, error.message, plan, options);
  }
  return analyseFile(real, relative, plan, options);
}

async function analyseFile(real: string, relative: string, plan: CompliancePlan, options: ComplianceOptions): Promise<DockerfileAnalysis> {
  try {
    const info = await stat(real);
    if (info.size > MAX_DOCKERFILE_BYTES) {
      return analyseUnparsable(relative, `the Dockerfile is too large (${info.size} bytes; the limit is ${MAX_DOCKERFILE_BYTES})`, plan, options);
    }
    const key = cacheKey(real, info.mtimeMs, info.size, [plan, options]);
    const hit = cached(key);
    if (hit) return hit;
    const analysis = analyseDockerfile(await readFile(real, "utf8"), plan, options, relative);
    remember(key, analysis);
    return analysis;
  } catch (error) {
    // Removed or made unreadable between resolving and reading.
    return analyseMissingDockerfile(relative, `${relative} cannot be read: ${error instanceof Error ? error.message : String(error)}`, plan, options);
  }
}
