import { describe, expect, it, vi } from "vitest";
import { createPrismaClient } from "@/lib/db/client";
import { createTestDatabase, onPostgres } from "@/lib/db/test-database";
import { withJsonErrors } from "@/lib/http";

describe("withJsonErrors", () => {
  it.skipIf(onPostgres)("answers an unexpected error as JSON with a plain reason, never a stack", async () => {
    const { prisma, url, cleanup } = await createTestDatabase();
    const readonly = createPrismaClient(url, { readonly: true });
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const handler = withJsonErrors(async () => {
        await readonly.setting.create({ data: { key: "k", value: "v" } });
        return Response.json({ ok: true });
      });
      const response = await handler(new Request("http://localhost/api/anything", { method: "POST" }));
      expect(response.status).toBe(500);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({ error: "internal error: the database is read-only, so this could not be done" });
      expect(error).toHaveBeenCalledOnce();

      const plain = withJsonErrors(async () => {
        throw new Error("SELECT secret FROM somewhere");
      });
      const body = (await (await plain(new Request("http://localhost/api/x"))).json()) as { error: string };
      expect(body.error).toBe("internal error; see the server log");
    } finally {
      error.mockRestore();
      await readonly.$disconnect();
      await prisma.$disconnect();
      await cleanup();
    }
  });
});
