import { createPrismaClient } from "@/lib/db/client";
import { seedDefaults } from "@/lib/plan/seed";
import { prepareAccounts } from "@/lib/auth/setup";

const prisma = createPrismaClient();
try {
  const result = await seedDefaults(prisma);
  if (result.planImported) console.log("Seeded the built-in Lucid plan (6 phases, 35 images).");
  if (result.buildsRecorded.length > 0) {
    console.log(`Recorded ${result.buildsRecorded.length} build(s) reported by the Phase 4 summary: ${result.buildsRecorded.join(", ")}.`);
  }
  for (const line of await prepareAccounts(prisma)) console.log(line);
} finally {
  await prisma.$disconnect();
}
