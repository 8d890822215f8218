import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// requireRole() against a stand-in session: next/navigation's redirect() and forbidden() throw, as in Next.js.
const state = vi.hoisted(() => ({
  session: null as null | { user: { id: string; email: string; name: string; role: string | null; mustChangePassword?: boolean }; session: { token: string } },
  path: null as string | null,
}));

vi.mock("next/headers", () => ({
  headers: async () => new Headers({ cookie: "lucid.session_token=x", ...(state.path ? { "x-lucid-path": state.path } : {}) }),
}));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new Error(`REDIRECT ${url}`);
  },
  forbidden: () => {
    throw new Error("FORBIDDEN 403");
  },
}));
vi.mock("@/lib/auth/session-lookup", () => ({ lookUpSession: async () => ({ session: state.session, setCookies: [] }) }));

const { requireReader, requireRole } = await import("@/lib/auth/session");

const signIn = (role: string | null, mustChangePassword = false) => {
  state.session = { user: { id: "u1", email: "ada@example.test", name: "Ada", role, mustChangePassword }, session: { token: "t1" } };
};
const savedPublicRead = process.env.LUCID_PUBLIC_READ;

beforeEach(() => {
  state.session = null;
  state.path = null;
  delete process.env.LUCID_PUBLIC_READ;
});
afterEach(() => {
  if (savedPublicRead === undefined) delete process.env.LUCID_PUBLIC_READ;
  else process.env.LUCID_PUBLIC_READ = savedPublicRead;
});

describe("requireRole", () => {
  it("sends an anonymous caller to /login, back to where they were", async () => {
    await expect(requireRole("viewer", "/settings")).rejects.toThrow("REDIRECT /login?next=%2Fsettings");
    await expect(requireRole("admin")).rejects.toThrow("REDIRECT /login");
    // Not even with public read: that only lets anonymous visitors read.
    process.env.LUCID_PUBLIC_READ = "true";
    await expect(requireRole("viewer")).rejects.toThrow("REDIRECT /login");
  });

  it("refuses a role below the minimum with 403", async () => {
    signIn("viewer");
    await expect(requireRole("operator")).rejects.toThrow("FORBIDDEN 403");
    signIn("operator");
    await expect(requireRole("admin")).rejects.toThrow("FORBIDDEN 403");
  });

  it("refuses a stored role it does not know, even for reading", async () => {
    signIn("superuser");
    await expect(requireRole("viewer")).rejects.toThrow("FORBIDDEN 403");
    signIn(null);
    await expect(requireRole("viewer")).rejects.toThrow("FORBIDDEN 403");
  });

  it("returns the user, with the audit actor, when the role is enough", async () => {
    signIn("operator");
    expect(await requireRole("operator")).toEqual({ id: "u1", email: "ada@example.test", name: "Ada", role: "operator", actor: "user ada@example.test", mustChangePassword: false, sessionToken: "t1" });
    signIn("admin");
    expect((await requireRole("viewer")).role).toBe("admin");
  });

  it("sends a user with a temporary password to /account, whatever their role and page", async () => {
    signIn("admin", true);
    await expect(requireRole("viewer")).rejects.toThrow(/^REDIRECT \/account$/);
    await expect(requireReader()).rejects.toThrow(/^REDIRECT \/account$/);
  });

  it("never sends a caller back to another origin", async () => {
    await expect(requireRole("viewer", "//evil.example/x")).rejects.toThrow(/^REDIRECT \/login$/);
    state.path = "https://evil.example/";
    await expect(requireRole("viewer")).rejects.toThrow(/^REDIRECT \/login$/);
  });

  it("by default sends them back to the path the proxy passed on, query included", async () => {
    state.path = "/admin/audit?action=user.create";
    await expect(requireRole("admin")).rejects.toThrow("REDIRECT /login?next=%2Fadmin%2Faudit%3Faction%3Duser.create");
  });
});

describe("requireReader", () => {
  it("lets anonymous visitors read only with LUCID_PUBLIC_READ=true", async () => {
    await expect(requireReader("/")).rejects.toThrow("REDIRECT /login");
    process.env.LUCID_PUBLIC_READ = "true";
    expect(await requireReader("/")).toBeNull();
  });

  it("returns the signed-in user, and refuses one without a known role", async () => {
    signIn("viewer");
    expect(await requireReader()).toMatchObject({ email: "ada@example.test", role: "viewer" });
    signIn("nobody");
    await expect(requireReader()).rejects.toThrow("FORBIDDEN 403");
  });
});
