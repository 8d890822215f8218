import { describe, expect, it } from "vitest";
import { isSecretFileName, noSecretFiles } from "@/lib/compliance/rules/no-secret-files";
import { check, statusOf } from "@/lib/compliance/rules/testing";

describe("no-secret-files", () => {
  it("knows secret file names, and lets examples through", () => {
    for (const name of ["configs/.env.secrets", ".env", ".env.production", "tls/server.key", "cert.pem", "id_rsa", "id_ed25519.pub", "app/secrets.yaml", "credentials.json", ".npmrc", ".netrc"]) {
      expect(isSecretFileName(name), name).toBe(true);
    }
    for (const name of [".env.example", ".env.sample", "config/.env.template", "requirements.txt", "app/", "keyring.py", "monkey.conf"]) {
      expect(isSecretFileName(name), name).toBe(false);
    }
  });

  it("fails a secret file copied into the final image, from the context or from another stage, with the line", () => {
    expect(check(noSecretFiles, ["FROM gcr.io/distroless/static", "COPY app /app", "COPY configs/.env.secrets /app/configs/.env.secrets"])).toMatchObject({
      status: "fail",
      line: 3,
      excerpt: "COPY configs/.env.secrets /app/configs/.env.secrets",
      message: expect.stringContaining("RUN --mount=type=secret"),
    });
    expect(statusOf(noSecretFiles, ["FROM debian AS build", "RUN make", "FROM scratch", "COPY --from=build --chown=65532:65532 /build/.env.secrets /app/"])).toBe("fail");
    expect(statusOf(noSecretFiles, ["FROM scratch", 'COPY ["certs/server.key", "/tls/"]'])).toBe("fail");
    expect(statusOf(noSecretFiles, ["FROM debian AS base", "ADD id_rsa /root/.ssh/", "FROM base"])).toBe("fail");
  });

  it("passes secrets used only in build stages, examples, and heredocs", () => {
    expect(statusOf(noSecretFiles, ["FROM debian AS build", "COPY .env.secrets /build/", "RUN make", "FROM scratch", "COPY --from=build /build/app /app"])).toBe("pass");
    expect(statusOf(noSecretFiles, ["FROM scratch", "COPY .env.example /app/"])).toBe("pass");
    expect(statusOf(noSecretFiles, ["# syntax=docker/dockerfile:1", "FROM scratch", "COPY <<EOF /app/.env", "A=1", "EOF"])).toBe("pass");
  });
});
