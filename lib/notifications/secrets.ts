// Channel secrets (webhook URLs, tokens, SMTP passwords) at rest: AES-256-GCM with a key derived (HKDF-SHA256) from
// the server secret, so a copy of the database alone does not reveal them. Write-only in the UI.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const INFO = "lucid notification channel secrets v1";

function keyFrom(serverSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", serverSecret, "lucid-notifications", INFO, 32));
}

/** "v1.<iv>.<tag>.<ciphertext>", base64url parts. */
export function sealSecrets(secrets: Record<string, unknown>, serverSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(serverSecret), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(secrets), "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export class SecretsError extends Error {
  override name = "SecretsError";
}

/** Throws SecretsError when the value was sealed with another server secret (BETTER_AUTH_SECRET changed) or altered. */
export function openSecrets(sealed: string, serverSecret: string): Record<string, unknown> {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || body === undefined) throw new SecretsError("the stored secrets are not in a known format");
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFrom(serverSecret), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const text = Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new SecretsError("the stored secrets cannot be read with this server's secret (was BETTER_AUTH_SECRET changed?); enter them again");
  }
}
