import type { PrismaClient } from "@/lib/generated/prisma/client";

export type LatestBuildIds = { imageId: number; latestId: number | null; successId: number | null; pushedId: number | null };

/**
 * The newest build, the newest successful build and the newest pushed build of every image, as ids. One
 * statement: index seeks per image on Build(imageId, id) and Build(imageId, status, id), whatever the history size.
 */
export async function latestBuildIds(prisma: PrismaClient): Promise<Map<number, LatestBuildIds>> {
  const rows = await prisma.$queryRaw<{ imageId: number | bigint; latestId: number | bigint | null; successId: number | bigint | null; pushedId: number | bigint | null }[]>`
    SELECT i."id" AS "imageId",
      (SELECT b."id" FROM "Build" b WHERE b."imageId" = i."id" ORDER BY b."id" DESC LIMIT 1) AS "latestId",
      (SELECT b."id" FROM "Build" b WHERE b."imageId" = i."id" AND b."status" = 'succeeded' ORDER BY b."id" DESC LIMIT 1) AS "successId",
      (SELECT b."id" FROM "Build" b WHERE b."imageId" = i."id" AND b."status" = 'succeeded' AND b."pushed" ORDER BY b."id" DESC LIMIT 1) AS "pushedId"
    FROM "Image" i`;
  const toNumber = (v: number | bigint | null) => (v === null ? null : Number(v));
  return new Map(
    rows.map((r) => [Number(r.imageId), { imageId: Number(r.imageId), latestId: toNumber(r.latestId), successId: toNumber(r.successId), pushedId: toNumber(r.pushedId) }]),
  );
}
