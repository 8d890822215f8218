import { describe, expect, it } from "vitest";
import { literalPart, noSecretsInEnv } from "@/lib/compliance/rules/no-secrets-in-env";
import { check, statusOf } from "@/lib/compliance/rules/testing";

describe("no-secrets-in-env", () => {
  it("passes references, empty values and unrelated names", () => {
    for (const line of ["ENV DB_PASSWORD=$DB_PASSWORD", "ARG API_KEY", 'ENV API_TOKEN=""', "ENV SECRET_FILE=/run/secrets/db", "ENV TOKEN_PATH=/var/token", "ARG GITHUB_TOKEN=${GITHUB_TOKEN}", "ENV LUCID_HOST_CONFIG_SERVICE_KEY=lucid_redis", "ENV DB_PASSWORD=${PW:?required}"]) {
      expect(statusOf(noSecretsInEnv, ["FROM scratch", line]), line).toBe("pass");
    }
    expect(statusOf(noSecretsInEnv, ["FROM scratch", "ENV DATABASE_URL=postgres://app:${DB_PASSWORD}@db/app"])).toBe("pass");
  });

  it("fails literal secrets in ENV and ARG, in any stage and before FROM, masking them", () => {
    const verdict = check(noSecretsInEnv, ["ARG NPM_TOKEN=npm_abc123", "FROM node AS build", "ENV DB_PASSWORD=hunter2", "FROM scratch"]);
    expect(verdict).toMatchObject({ status: "fail", line: 1 });
    expect(verdict.message).toBe("ARG NPM_TOKEN has a literal value (line 1); ENV DB_PASSWORD has a literal value (line 3)");
    expect(verdict.excerpt).toBe("ARG NPM_TOKEN=****\nENV DB_PASSWORD=****");
    expect(verdict.excerpt).not.toContain("hunter2");
  });

  it("fails the old ENV NAME value form, quoted values and literal defaults", () => {
    expect(check(noSecretsInEnv, ["FROM scratch", "ENV AWS_SECRET_ACCESS_KEY wJalrXUtnFEMI"]).excerpt).toBe("ENV AWS_SECRET_ACCESS_KEY ****");
    expect(statusOf(noSecretsInEnv, ["FROM scratch", 'ENV private_key="-----BEGIN KEY-----"'])).toBe("fail");
    expect(statusOf(noSecretsInEnv, ["FROM scratch", "ENV REDIS_PASSWORD=${REDIS_PASSWORD:-changeme}"])).toBe("fail");
  });

  it("fails a password in a URL whatever the variable is called, masking only the password", () => {
    const verdict = check(noSecretsInEnv, ["FROM scratch", "ENV A=1 \\", "    MONGODB_URI=${MONGODB_URI:-mongodb://lucid:s3cret@mongo:27017/db} \\", "    B=2"]);
    expect(verdict).toMatchObject({ status: "fail", line: 3 });
    expect(verdict.excerpt).toBe("    MONGODB_URI=${MONGODB_URI:-mongodb://lucid:****@mongo:27017/db} \\");
  });

  it("keeps only the literal part of a value", () => {
    expect(literalPart("${A:-x}${B}$C")).toBe("x");
    expect(literalPart("${A:-${B:-}}")).toBe("");
    expect(literalPart('"$A"')).toBe("");
  });
});
