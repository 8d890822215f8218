// no-remote-add (warning): no ADD fetches a URL (http, https or git) at build time, in any stage.
// What it downloads can change or be tampered with between builds; fetch it with a checksum
// (ADD --checksum=sha256:... passes) or in a RUN that verifies it.
import type { Instruction } from "@/lib/compliance/parse/model";
import { copySources, lineOf } from "@/lib/compliance/dockerfile";
import { excerptOf, listed, withDockerfile, type DockerfileRule } from "@/lib/compliance/rules/rule";

const REMOTE = /^(https?:\/\/|git@|git:\/\/)/i;

export const noRemoteAdd: DockerfileRule = {
  id: "no-remote-add",
  severity: "warning",
  summary: "no ADD downloads from a URL",
  check: withDockerfile((dockerfile) => {
    const adds = dockerfile.ast.getInstructions().filter((i) => i.getKeyword() === "ADD");
    const remote = adds.map((add) => ({ add, urls: remoteSources(add) })).filter((r) => r.urls.length > 0);
    const unverified = remote.filter((r) => !hasChecksum(r.add));
    if (unverified.length > 0) {
      return {
        status: "fail",
        line: lineOf(unverified[0]!.add),
        excerpt: excerptOf(dockerfile, unverified.slice(0, 3).map((r) => r.add)),
        message: listed(unverified.map((r) => `ADD downloads ${listed(r.urls, ", ")} without --checksum (line ${lineOf(r.add)})`)),
      };
    }
    if (remote.length > 0) return { status: "pass", line: lineOf(remote[0]!.add), message: "every remote ADD is verified with --checksum" };
    return { status: "pass", message: adds.length > 0 ? "ADD copies only local files" : "no ADD instruction" };
  }),
};

/** The sources of an ADD that are URLs. */
function remoteSources(add: Instruction): string[] {
  return copySources(add).filter((s) => REMOTE.test(s));
}

function hasChecksum(add: Instruction): boolean {
  return (add.flag("checksum") ?? "") !== "";
}
