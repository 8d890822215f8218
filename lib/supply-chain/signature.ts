// Judging cosign signatures: a simple-signing payload must name the image's digest, and with a public key
// configured (LUCID_COSIGN_PUBLIC_KEY, ECDSA P-256) the signature over the payload must verify with Node's crypto.
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { SignatureRead } from "@/lib/registry/artifacts";
import type { Env } from "@/lib/env";

export type SignatureState = "verified" | "signed" | "invalid" | "unsigned";

export type SignatureSummary = {
  state: SignatureState;
  /** One sentence: what was found and why it is judged so. */
  detail: string;
  via: "referrers" | "tag" | null;
  /** The docker-reference the payload names, when one does. */
  identity: string | null;
};

const payloadSchema = z.object({
  critical: z.object({
    identity: z.object({ "docker-reference": z.string().optional() }).partial().optional(),
    image: z.object({ "docker-manifest-digest": z.string() }),
    type: z.string().optional(),
  }),
});

export class CosignKeyError extends Error {
  override name = "CosignKeyError";
}

/** LUCID_COSIGN_PUBLIC_KEY: the PEM itself, or the path of a file holding it; null when unset. Throws CosignKeyError. */
export function cosignPublicKey(env: Env = process.env): KeyObject | null {
  const value = env.LUCID_COSIGN_PUBLIC_KEY?.trim();
  if (!value) return null;
  let pem = value;
  if (!value.startsWith("-----BEGIN")) {
    try {
      pem = readFileSync(value, "utf8");
    } catch (error) {
      throw new CosignKeyError(`LUCID_COSIGN_PUBLIC_KEY is neither a PEM public key nor a readable file (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
    }
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new CosignKeyError("LUCID_COSIGN_PUBLIC_KEY is not a PEM public key (cosign.pub, as `cosign generate-key-pair` writes it)");
  }
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new CosignKeyError(`LUCID_COSIGN_PUBLIC_KEY must be an ECDSA P-256 key (cosign's default); it is ${key.asymmetricKeyType ?? "unknown"}${key.asymmetricKeyDetails?.namedCurve ? ` ${key.asymmetricKeyDetails.namedCurve}` : ""}`);
  }
  return key;
}

/**
 * The best of the signatures found: verified, signed (not verifiable here), invalid, or unsigned. `digests` are the
 * image's own (its index and platform manifests): a signature counts when it hangs off one of them and its payload
 * names that same digest.
 */
export function judgeSignatures(signatures: readonly SignatureRead[], digests: readonly string[], key: KeyObject | null): SignatureSummary {
  if (signatures.length === 0) return { state: "unsigned", detail: "no cosign signature: neither a referrer nor a sha256-….sig tag", via: null, identity: null };
  const judged = signatures.map((s) => judgeOne(s, digests.includes(s.signedDigest) ? s.signedDigest : null, key));
  const rank: Record<SignatureState, number> = { verified: 0, signed: 1, invalid: 2, unsigned: 3 };
  return judged.sort((a, b) => rank[a.state] - rank[b.state])[0]!;
}

function judgeOne(signature: SignatureRead, digest: string | null, key: KeyObject | null): SignatureSummary {
  const base = { via: signature.via, identity: null };
  if (digest === null) return { ...base, state: "invalid", detail: `a signature hangs off ${signature.signedDigest}, which is not this image or one of its platforms` };
  if (signature.format === "sigstore-bundle") {
    return { ...base, state: "signed", detail: `a Sigstore bundle (${signature.via}); the dashboard verifies cosign's simple-signing signatures only` };
  }
  const payload = parsePayload(signature.payload);
  if (!payload) return { ...base, state: "invalid", detail: "the signed payload is not a cosign simple-signing document" };
  const named = payload.critical.image["docker-manifest-digest"];
  const identity = payload.critical.identity?.["docker-reference"] ?? null;
  if (named !== digest) return { ...base, identity, state: "invalid", detail: `the signed payload names ${named}, not this image (${digest})` };
  if (!signature.signature) return { ...base, identity, state: "invalid", detail: "the signature layer has no dev.cosignproject.cosign/signature annotation" };
  if (!key) return { ...base, identity, state: "signed", detail: `signed (${signature.via}), not verified: no LUCID_COSIGN_PUBLIC_KEY is configured` };
  const valid = verifies(signature.payload!, signature.signature, key);
  if (valid) return { ...base, identity, state: "verified", detail: `signature verified with the configured key (${signature.via})` };
  return { ...base, identity, state: "invalid", detail: "a signature is present but does not verify with LUCID_COSIGN_PUBLIC_KEY" };
}

function parsePayload(payload: Buffer | null): z.infer<typeof payloadSchema> | null {
  if (!payload) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(payload.toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** cosign signs the payload's SHA-256 with ECDSA and stores the DER signature in base64. */
function verifies(payload: Buffer, signature: string, key: KeyObject): boolean {
  try {
    return verify("sha256", payload, key, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}
