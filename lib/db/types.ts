import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

/** The app's client or a transaction of it: what every read and write function takes. */
export type Db = PrismaClient | Prisma.TransactionClient;
