import { describe, expect, it } from "vitest";
import { can, hasRole, isRole, isTokenScope, PERMISSIONS, permissionsOf, ROLES } from "@/lib/auth/roles";

describe("roles", () => {
  it("orders viewer < operator < admin, and each role has what the roles before it have", () => {
    expect(ROLES).toEqual(["viewer", "operator", "admin"]);
    expect(hasRole("viewer", "viewer")).toBe(true);
    expect(hasRole("viewer", "operator")).toBe(false);
    expect(hasRole("operator", "viewer")).toBe(true);
    expect(hasRole("operator", "admin")).toBe(false);
    expect(hasRole("admin", "operator")).toBe(true);
    for (const role of ROLES) {
      const lower = ROLES.slice(0, ROLES.indexOf(role));
      for (const below of lower) expect(permissionsOf(role)).toEqual(expect.arrayContaining(permissionsOf(below)));
    }
  });

  it("grants nothing to an unknown, empty or missing role (not even reading)", () => {
    for (const role of ["", "root", "Admin", " admin", null, undefined]) {
      expect(hasRole(role, "viewer")).toBe(false);
      expect(permissionsOf(role)).toEqual([]);
      expect(isRole(role)).toBe(false);
    }
  });

  it("gives the brief's table: viewer reads, operator runs builds and checks, admin the rest", () => {
    expect(permissionsOf("viewer")).toEqual(["read"]);
    expect(permissionsOf("operator")).toEqual(["read", "builds:run", "health:check"]);
    expect(permissionsOf("admin")).toEqual(Object.keys(PERMISSIONS));
    expect(can("operator", "plan:import")).toBe(false);
    expect(can("operator", "settings:write")).toBe(false);
    expect(can("operator", "tokens:manage")).toBe(false);
    expect(can("operator", "users:manage")).toBe(false);
    expect(can("admin", "users:manage")).toBe(true);
    expect(can("viewer", "builds:run")).toBe(false);
  });

  it("knows the token scopes", () => {
    expect(isTokenScope("builds:run")).toBe(true);
    expect(isTokenScope("builds:write")).toBe(true);
    expect(isTokenScope("toString")).toBe(false);
    expect(isTokenScope("admin")).toBe(false);
  });
});
