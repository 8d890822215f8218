// How far what runs is from what was pushed: the running image's digests (its ID and repository digests, which
// are the config digest, the index digest or a platform manifest digest depending on the engine's image store)
// looked up among the image's pushed builds (index and per-platform manifest digests).

export type PushedBuildDigests = { id: number; finishedAt: Date | null; digests: string[] };

export type Drift =
  | { status: "up_to_date"; runningBuild: number; latestBuild: number }
  | { status: "behind"; runningBuild: number; latestBuild: number; buildsBehind: number; behindMs: number | null }
  | { status: "unknown_image"; digest: string | null; latestBuild: number }
  | { status: "not_pushed" };

/** sha256:… digests a container's image is known by. */
export function runningDigests(imageId: string | null, repoDigests: readonly string[]): string[] {
  const out = new Set<string>();
  if (imageId?.startsWith("sha256:")) out.add(imageId);
  for (const d of repoDigests) {
    const at = d.lastIndexOf("@");
    if (at !== -1 && d.slice(at + 1).startsWith("sha256:")) out.add(d.slice(at + 1));
  }
  return [...out];
}

/** `builds`: the image's pushed builds, newest first. */
export function driftOf(digests: readonly string[], builds: readonly PushedBuildDigests[]): Drift {
  const latest = builds[0];
  if (!latest) return { status: "not_pushed" };
  const index = builds.findIndex((b) => b.digests.some((d) => digests.includes(d)));
  if (index === -1) return { status: "unknown_image", digest: digests[0] ?? null, latestBuild: latest.id };
  const running = builds[index]!;
  if (index === 0) return { status: "up_to_date", runningBuild: running.id, latestBuild: latest.id };
  const behindMs = latest.finishedAt && running.finishedAt ? latest.finishedAt.getTime() - running.finishedAt.getTime() : null;
  return { status: "behind", runningBuild: running.id, latestBuild: latest.id, buildsBehind: index, behindMs };
}
