// Reading the audit log: filters (action, actor, date range in UTC) and pages, newest first.
import { containsIgnoringCase } from "@/lib/db/dialect";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { isAuditAction, type AuditAction } from "@/lib/audit/audit";

const AUDIT_PAGE_SIZE = 50;

export type AuditFilters = {
  action: AuditAction | null;
  /** Part of the actor, e.g. an email or "token ci"; case-insensitive for ASCII. */
  actor: string | null;
  /** First day (UTC, inclusive), YYYY-MM-DD. */
  from: string | null;
  /** Last day (UTC, inclusive), YYYY-MM-DD. */
  to: string | null;
  page: number;
};

export type AuditRow = { id: number; at: Date; actor: string; action: string; target: string | null; detail: unknown };
export type AuditPage = { events: AuditRow[]; page: number; pages: number; total: number; filters: AuditFilters };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(raw: string | undefined): string | null {
  if (!raw || !DAY.test(raw)) return null;
  const date = new Date(`${raw}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== raw ? null : raw;
}

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Filters from a page's search params; anything malformed is dropped rather than refused. */
export function parseAuditFilters(params: Record<string, string | string[] | undefined>): AuditFilters {
  const action = one(params.action);
  const actor = one(params.actor)?.trim().slice(0, 200);
  const page = Number(one(params.page));
  return {
    action: isAuditAction(action) ? action : null,
    actor: actor || null,
    from: day(one(params.from)),
    to: day(one(params.to)),
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}

function auditWhere(prisma: PrismaClient, filters: AuditFilters): Prisma.AuditEventWhereInput {
  const at: Prisma.DateTimeFilter = {};
  if (filters.from) at.gte = new Date(`${filters.from}T00:00:00Z`);
  if (filters.to) at.lt = new Date(new Date(`${filters.to}T00:00:00Z`).getTime() + 86_400_000);
  return {
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.actor ? { actor: containsIgnoringCase(prisma, filters.actor) } : {}),
    ...(filters.from || filters.to ? { at } : {}),
  };
}

export async function listAuditEvents(prisma: PrismaClient, filters: AuditFilters): Promise<AuditPage> {
  const where = auditWhere(prisma, filters);
  const total = await prisma.auditEvent.count({ where });
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = Math.min(filters.page, pages);
  const events = await prisma.auditEvent.findMany({
    where,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    skip: (page - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE,
  });
  return { events, page, pages, total, filters: { ...filters, page } };
}

/** Who created each token, from the audit log (the token table has no such column). */
export async function tokenCreators(prisma: PrismaClient, names: readonly string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const events = await prisma.auditEvent.findMany({
    where: { action: "token.create", target: { in: names.map((n) => `token ${n}`) } },
    orderBy: { id: "asc" },
    select: { target: true, actor: true },
  });
  // Token names are unique and tokens are never deleted, so each has at most one creation event.
  return new Map(events.map((e) => [e.target!.slice("token ".length), e.actor]));
}
