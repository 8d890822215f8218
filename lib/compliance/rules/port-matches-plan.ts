// port-matches-plan (warning): the final image EXPOSEs the plan's port, and its HEALTHCHECK, when
// it names a port number, probes that port. n/a when the plan has no port for the image.
// Variables in EXPOSE are substituted; in a shell-form health check too (the shell would expand
// them), never in exec form, where Docker passes them through literally.
import type { Instruction } from "@/lib/compliance/parse/model";
import { argumentsOf, effectiveInstruction, instructionsInChain, lineOf, lookupAt, stageOf, type AnalysedDockerfile } from "@/lib/compliance/dockerfile";
import { healthcheckCommand } from "@/lib/compliance/healthcheck-command";
import { exposedPorts, portsNamedIn, rangeIncludes, type PortRange } from "@/lib/compliance/ports";
import { substitute } from "@/lib/compliance/substitute";
import { excerptOf, inFileOrder, withDockerfile, type DockerfileRule } from "@/lib/compliance/rules/rule";

export const portMatchesPlan: DockerfileRule = {
  id: "port-matches-plan",
  severity: "warning",
  summary: "EXPOSE and the health check use the plan's port",
  check: withDockerfile((dockerfile, { plan }) => {
    const port = plan.port;
    if (port === null) return { status: "n/a", message: "the plan gives no port for this image" };
    const exposes = instructionsInChain(dockerfile, "EXPOSE");
    const exposed = exposedInFinalImage(dockerfile);
    const health = healthPorts(dockerfile);
    const evidence = inFileOrder([...exposes, ...(health ? [health.instruction] : [])]);
    const where = { excerpt: excerptOf(dockerfile, evidence) };
    const exposedText = describe(exposed);

    if (!rangeIncludes(exposed, port)) {
      const line = exposes.length > 0 ? lineOf(exposes[0]!) : dockerfile.final.from.line;
      const said = exposed.length > 0 ? `the final image EXPOSEs ${exposedText}` : "the final image EXPOSEs no port";
      return { ...where, line, status: "fail", message: `${said}, but the plan's port is ${port}${healthNote(health, port)}` };
    }
    if (health && health.ports.length > 0 && !health.ports.includes(port)) {
      return { ...where, line: lineOf(health.instruction), status: "fail", message: `the HEALTHCHECK probes port ${health.ports.join(", ")}, but the plan's port is ${port} (EXPOSE ${exposedText})` };
    }
    const probe = health === null ? "no health check" : health.ports.length > 0 ? `the health check probes ${port}` : "the health check names no port number";
    return { ...where, line: exposes.length > 0 ? lineOf(exposes[0]!) : null, status: "pass", message: `EXPOSE ${exposedText} includes the plan's port ${port}; ${probe}` };
  }),
};

/** The ports the final image EXPOSEs, variables substituted, in file order. */
export function exposedInFinalImage(dockerfile: AnalysedDockerfile): PortRange[] {
  return instructionsInChain(dockerfile, "EXPOSE").flatMap((e) => exposedPorts(expand(dockerfile, e, argumentsOf(e))));
}

type HealthPorts = { instruction: Instruction; ports: number[] };

function healthPorts(dockerfile: AnalysedDockerfile): HealthPorts | null {
  const found = effectiveInstruction(dockerfile, "HEALTHCHECK");
  if (!found) return null;
  const command = healthcheckCommand(found.instruction);
  if (command.kind === "none") return null;
  const text = command.exec ? command.text : substitute(command.text, lookupAt(dockerfile, found.stage, found.instruction), dockerfile.escape).value;
  return { instruction: found.instruction, ports: portsNamedIn(text) };
}

function healthNote(health: HealthPorts | null, port: number): string {
  if (!health || health.ports.length === 0) return "";
  return health.ports.includes(port) ? `; the health check probes ${port}` : `; the HEALTHCHECK probes ${health.ports.join(", ")}`;
}

function expand(dockerfile: AnalysedDockerfile, instruction: Instruction, text: string): string {
  const stage = stageOf(dockerfile, instruction) ?? dockerfile.final;
  return substitute(text, lookupAt(dockerfile, stage, instruction), dockerfile.escape).value;
}

function describe(ranges: PortRange[]): string {
  return ranges.map((r) => r.written).join(" ");
}
