import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckoutPathError, checkoutRoot, resolveInCheckout } from "@/lib/checkout/checkout";

let base: string;
let repo: string;

// repo/ holds sessions/Dockerfile.api and links pointing inside and outside; outside/ sits next to it.
beforeAll(() => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), "lucid-checkout-")));
  repo = path.join(base, "repo");
  mkdirSync(path.join(repo, "sessions"), { recursive: true });
  writeFileSync(path.join(repo, "sessions", "Dockerfile.api"), "FROM scratch\n");
  mkdirSync(path.join(base, "outside"));
  writeFileSync(path.join(base, "outside", "Dockerfile"), "FROM scratch\n");
  symlinkSync(path.join(base, "outside"), path.join(repo, "escape"));
  symlinkSync(path.join(base, "outside", "Dockerfile"), path.join(repo, "Dockerfile.escape"));
  symlinkSync("sessions", path.join(repo, "sessions-link"));
  symlinkSync("missing-target", path.join(repo, "dangling"));
  symlinkSync(repo, path.join(base, "repo-link"));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

async function refusal(relative: string, kind: "file" | "directory" = "file"): Promise<string> {
  const error: unknown = await resolveInCheckout(repo, relative, kind).then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof CheckoutPathError)) throw new Error(`expected a CheckoutPathError for ${JSON.stringify(relative)}, got ${String(error)}`);
  return error.message;
}

describe("resolveInCheckout", () => {
  it("returns the absolute real path of files and folders inside the checkout", async () => {
    expect(await resolveInCheckout(repo, "sessions/Dockerfile.api", "file")).toBe(path.join(repo, "sessions", "Dockerfile.api"));
    expect(await resolveInCheckout(repo, "sessions/", "directory")).toBe(path.join(repo, "sessions"));
    expect(await resolveInCheckout(repo, ".", "directory")).toBe(repo);
    expect(await resolveInCheckout(repo, "sessions/../sessions/./Dockerfile.api", "file")).toBe(path.join(repo, "sessions", "Dockerfile.api"));
  });

  it("follows symbolic links that stay inside, and a checkout reached through a link", async () => {
    expect(await resolveInCheckout(repo, "sessions-link/Dockerfile.api", "file")).toBe(path.join(repo, "sessions", "Dockerfile.api"));
    expect(await resolveInCheckout(path.join(base, "repo-link"), "sessions/Dockerfile.api", "file")).toBe(path.join(repo, "sessions", "Dockerfile.api"));
  });

  it("refuses .. segments that leave the checkout", async () => {
    expect(await refusal("../outside/Dockerfile")).toBe(`../outside/Dockerfile leaves the checkout ${repo}`);
    expect(await refusal("sessions/../../outside/Dockerfile")).toMatch(/leaves the checkout/);
    expect(await refusal("..", "directory")).toMatch(/leaves the checkout/);
  });

  it("refuses absolute paths, even ones inside the checkout", async () => {
    expect(await refusal(path.join(repo, "sessions", "Dockerfile.api"))).toMatch(/is absolute: give a path relative to the checkout/);
    expect(await refusal("/etc/passwd")).toMatch(/is absolute/);
  });

  it("refuses symbolic links that point outside", async () => {
    expect(await refusal("Dockerfile.escape")).toBe(`Dockerfile.escape resolves to ${path.join(base, "outside", "Dockerfile")}, outside the checkout ${repo} (through a symbolic link)`);
    expect(await refusal("escape/Dockerfile")).toMatch(/outside the checkout/);
    expect(await refusal("escape", "directory")).toMatch(/outside the checkout/);
  });

  it("says which path is missing from which checkout", async () => {
    expect(await refusal("sessions/Dockerfile.gui")).toBe(`sessions/Dockerfile.gui does not exist in the checkout ${repo}`);
    expect(await refusal("dangling")).toMatch(/does not exist/);
    expect(await refusal("sessions/Dockerfile.api/inner")).toMatch(/does not exist/);
  });

  it("refuses the wrong kind", async () => {
    expect(await refusal("sessions")).toBe(`sessions is a directory, not a file, in the checkout ${repo}`);
    expect(await refusal("sessions/Dockerfile.api", "directory")).toMatch(/is a file, not a directory/);
  });

  it("refuses empty paths and NUL characters", async () => {
    expect(await refusal("")).toMatch(/empty/);
    expect(await refusal("sessions/Dockerfile.api\0.txt")).toMatch(/NUL/);
  });

  it("refuses a checkout that does not exist", async () => {
    await expect(resolveInCheckout(path.join(base, "nowhere"), "Dockerfile", "file")).rejects.toThrow(CheckoutPathError);
  });
});

describe("checkoutRoot", () => {
  it("resolves LUCID_REPO_ROOT to an absolute folder", () => {
    expect(checkoutRoot({ LUCID_REPO_ROOT: repo })).toBe(repo);
    expect(checkoutRoot({ LUCID_REPO_ROOT: path.relative(process.cwd(), repo) })).toBe(repo);
  });

  it("asks for LUCID_REPO_ROOT when it is unset or not a folder", () => {
    expect(() => checkoutRoot({})).toThrow("set LUCID_REPO_ROOT to the Lucid checkout");
    expect(() => checkoutRoot({ LUCID_REPO_ROOT: " " })).toThrow("set LUCID_REPO_ROOT to the Lucid checkout");
    expect(() => checkoutRoot({ LUCID_REPO_ROOT: path.join(repo, "sessions", "Dockerfile.api") })).toThrow(/is not a directory: set LUCID_REPO_ROOT/);
    expect(() => checkoutRoot({ LUCID_REPO_ROOT: path.join(base, "nowhere") })).toThrow(CheckoutPathError);
  });
});
