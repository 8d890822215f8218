// no-secret-files (error): no COPY or ADD puts a file whose name marks a secret into the final image (the final
// stage and the local stages it builds on). Whoever can pull the image can read it, in every layer after, even
// if a later RUN deletes it. Build-time secrets belong in RUN --mount=type=secret, run-time ones in Compose
// secrets or the environment. Judged by name, as written: what a directory holds is not known here.
import type { Instruction } from "@/lib/compliance/parse/model";
import { copySources, instructionsInChain, lineOf } from "@/lib/compliance/dockerfile";
import { excerptOf, listed, withDockerfile, type DockerfileRule } from "@/lib/compliance/rules/rule";

/** .env files other than examples, keys and certificates' private halves, SSH keys, credential and token files. */
const SECRET_NAME = [
  /^\.env(\..+)?$/i,
  /\.(pem|key|p12|pfx)$/i,
  /^id_(rsa|dsa|ecdsa|ed25519)/i,
  /secret/i,
  /^credentials/i,
  /^\.(npmrc|netrc|pypirc)$/i,
];
const EXAMPLE = /\.(example|sample|template|dist|defaults?)$|\.example\./i;

/** Whether a source path names a secret file, by its last component ("configs/.env.secrets" does). */
export function isSecretFileName(source: string): boolean {
  const name = source.replace(/\/+$/, "").split("/").at(-1) ?? "";
  if (name === "" || EXAMPLE.test(name)) return false;
  return SECRET_NAME.some((pattern) => pattern.test(name));
}

type Hit = { instruction: Instruction; sources: string[] };

export const noSecretFiles: DockerfileRule = {
  id: "no-secret-files",
  severity: "error",
  summary: "no COPY/ADD puts a secret file (.env, keys, credentials) into the final image",
  check: withDockerfile((dockerfile) => {
    const copies = [...instructionsInChain(dockerfile, "COPY"), ...instructionsInChain(dockerfile, "ADD")];
    const hits: Hit[] = copies
      .map((instruction) => ({ instruction, sources: copySources(instruction).filter(isSecretFileName) }))
      .filter((h) => h.sources.length > 0)
      .sort((a, b) => lineOf(a.instruction) - lineOf(b.instruction));
    if (hits.length === 0) {
      return { status: "pass", message: copies.length > 0 ? "no COPY or ADD into the final image names a secret file" : "nothing is copied into the final image" };
    }
    return {
      status: "fail",
      line: lineOf(hits[0]!.instruction),
      excerpt: excerptOf(dockerfile, hits.slice(0, 3).map((h) => h.instruction)),
      message: `${listed(hits.map((h) => `${h.instruction.getKeyword()} ${listed(h.sources, ", ")} (line ${lineOf(h.instruction)})`))} puts a secret file into the final image, readable by anyone who pulls it (deleting it later does not remove it from the layer). Use RUN --mount=type=secret at build time and Compose secrets or the environment at run time`,
    };
  }),
};
