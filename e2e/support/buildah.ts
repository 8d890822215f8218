import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// buildah as the e2e server runs it (its storage under data/e2e-buildah, vfs, chroot), for images the tests push
// themselves: a base FROM scratch for both planned platforms, pushed as a manifest list to the loopback registry.
const ROOT = path.resolve("data/e2e-buildah");
const env = { ...process.env, CONTAINERS_REGISTRIES_CONF: path.resolve("data/e2e-registries.conf") };

function buildah(...args: string[]): void {
  execFileSync("buildah", ["--root", path.join(ROOT, "storage"), "--runroot", path.join(ROOT, "run"), "--storage-driver", "vfs", ...args], { env, stdio: "pipe" });
}

/** Builds `FROM scratch` + one file holding `content` for linux/arm64 and linux/amd64 and pushes the list to `reference`. */
export function pushScratchBase(reference: string, content: string): void {
  const dir = mkdtempSync(path.join(tmpdir(), "lucid-e2e-base-"));
  const list = `lucid-e2e-base-${Date.now()}`;
  try {
    writeFileSync(path.join(dir, "os-release"), `${content}\n`);
    writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\nCOPY os-release /etc/os-release\n");
    buildah("bud", "--isolation", "chroot", "--format", "docker", "--platform", "linux/arm64,linux/amd64", "--manifest", list, "-f", path.join(dir, "Dockerfile"), dir);
    buildah("manifest", "push", "--all", "--format", "v2s2", "--tls-verify=false", list, `docker://${reference}`);
  } finally {
    try {
      buildah("manifest", "rm", list);
    } catch {
      // Nothing to remove when the build itself failed.
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
