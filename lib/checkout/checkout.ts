// Path confinement: a Dockerfile or context from the plan must resolve to a real path inside the Lucid checkout.
import { constants, statSync } from "node:fs";
import { open, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { Env } from "@/lib/env";

export type CheckoutPathKind = "file" | "directory";

export class CheckoutPathError extends Error {
  override name = "CheckoutPathError";
}

/** The absolute real path of `relative` inside the checkout, or a CheckoutPathError saying why not. */
export async function resolveInCheckout(repoRoot: string, relative: string, kind: CheckoutPathKind): Promise<string> {
  assertRelativePath(relative);
  const shownRoot = path.resolve(repoRoot);
  const root = await realCheckoutRoot(shownRoot);
  const lexical = path.resolve(root, relative);
  if (!isInside(root, lexical)) throw new CheckoutPathError(`${relative} leaves the checkout ${shownRoot}`);
  const real = await realPathInCheckout(lexical, relative, shownRoot);
  if (!isInside(root, real)) {
    throw new CheckoutPathError(`${relative} resolves to ${real}, outside the checkout ${shownRoot} (through a symbolic link)`);
  }
  await assertKind(real, kind, relative, shownRoot);
  return real;
}

/** LUCID_REPO_ROOT as an absolute path; the runner refuses to guess where the Lucid checkout is. */
export function checkoutRoot(env: Env = process.env): string {
  const configured = env.LUCID_REPO_ROOT?.trim();
  if (!configured) throw new CheckoutPathError("LUCID_REPO_ROOT is not set: set LUCID_REPO_ROOT to the Lucid checkout");
  const root = path.resolve(configured);
  if (!isDirectorySync(root)) {
    throw new CheckoutPathError(`LUCID_REPO_ROOT=${root} is not a directory: set LUCID_REPO_ROOT to the Lucid checkout`);
  }
  return root;
}

function assertRelativePath(relative: string): void {
  if (relative.length === 0) throw new CheckoutPathError("the path is empty (use . for the checkout itself)");
  if (relative.includes("\0")) throw new CheckoutPathError(`${JSON.stringify(relative)} contains a NUL character`);
  if (path.isAbsolute(relative)) throw new CheckoutPathError(`${relative} is absolute: give a path relative to the checkout`);
}

async function realCheckoutRoot(shownRoot: string): Promise<string> {
  try {
    return await realpath(shownRoot);
  } catch (error) {
    throw new CheckoutPathError(`the checkout ${shownRoot} cannot be read (${errorCode(error)})`);
  }
}

async function realPathInCheckout(lexical: string, relative: string, shownRoot: string): Promise<string> {
  try {
    return await realpath(lexical);
  } catch (error) {
    const code = errorCode(error);
    // ENOTDIR: a file used as a folder on the way ("Dockerfile/x"); a dangling symlink also lands in ENOENT.
    if (code === "ENOENT" || code === "ENOTDIR") throw new CheckoutPathError(`${relative} does not exist in the checkout ${shownRoot}`);
    if (code === "ELOOP") throw new CheckoutPathError(`${relative} is a loop of symbolic links in the checkout ${shownRoot}`);
    throw new CheckoutPathError(`${relative} cannot be read in the checkout ${shownRoot} (${code})`);
  }
}

async function assertKind(real: string, kind: CheckoutPathKind, relative: string, shownRoot: string): Promise<void> {
  const stats = await stat(real);
  const actual = stats.isFile() ? "file" : stats.isDirectory() ? "directory" : "special file";
  if (actual !== kind) throw new CheckoutPathError(`${relative} is a ${actual}, not a ${kind}, in the checkout ${shownRoot}`);
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === "" || (relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

function isDirectorySync(candidate: string): boolean {
  try {
    return statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

function errorCode(error: unknown): string {
  return error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : String(error);
}

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * The text of `relative` inside the checkout, read from the path resolved there (never a link, a FIFO or a device:
 * O_NOFOLLOW | O_NONBLOCK and a regular-file check) and refused, not cut, when it is larger than `maxBytes`.
 */
export async function readCheckoutFile(repoRoot: string, relative: string, maxBytes: number): Promise<string> {
  const real = await resolveInCheckout(repoRoot, relative, "file");
  return (await readRegularFile(real, maxBytes, relative)).toString("utf8");
}

/**
 * The bytes of the regular file at `file`, opened without following a link (O_NOFOLLOW) or blocking on a FIFO
 * (O_NONBLOCK), refused, not cut, past `maxBytes`. Messages name it `label`. Throws CheckoutPathError.
 */
export async function readRegularFile(file: string, maxBytes: number, label: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, READ_FLAGS);
  } catch (error) {
    throw new CheckoutPathError(errorCode(error) === "ELOOP" ? `${label} is a symbolic link` : `${label} cannot be opened (${errorCode(error)})`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new CheckoutPathError(`${label} is not a regular file`);
    if (info.size > maxBytes) throw new CheckoutPathError(`${label} is ${info.size} bytes; at most ${maxBytes} are read`);
    const buffer = Buffer.alloc(info.size);
    let got = 0;
    while (got < info.size) {
      const { bytesRead } = await handle.read(buffer, got, info.size - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buffer.subarray(0, got);
  } finally {
    await handle.close();
  }
}
