import { describe, expect, it } from "vitest";
import { structureLog, type LogStep } from "@/lib/builds/log-structure";

const numbered = (text: string) => text.split("\n").map((t, i) => ({ n: i + 1, text: t }));
const steps = (log: ReturnType<typeof structureLog>) => log.items.filter((i): i is LogStep => i.kind === "step");

// docker buildx build --progress=plain, two platforms, a RUN that fails (BuildKit's own wording).
const BUILDX = `$ docker buildx build --platform linux/arm64,linux/amd64 --progress plain -f Dockerfile .
#0 building with "lucid" instance using docker-container driver

#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 1.2kB done
#1 DONE 0.0s

#4 [linux/arm64 builder 1/4] FROM docker.io/library/python:3.11-slim@sha256:abc
#4 CACHED

#6 [linux/amd64 builder 2/4] RUN pip install -r requirements.txt
#7 [linux/arm64 builder 2/4] RUN pip install -r requirements.txt
#6 0.512 Collecting flask==3.0.0
#7 0.604 Collecting flask==3.0.0
#6 3.201 ERROR: Could not find a version that satisfies the requirement nope==9
#6 ERROR: process "/bin/sh -c pip install -r requirements.txt" did not complete successfully: exit code: 1
#7 CANCELED
------
 > [linux/amd64 builder 2/4] RUN pip install -r requirements.txt:
3.201 ERROR: Could not find a version that satisfies the requirement nope==9
------
Dockerfile:12
ERROR: failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not complete successfully: exit code: 1
[skipped: push docker.io/pickme/x:latest]
$ docker buildx rm lucid-tmp
error: no builder "lucid-tmp" found
Build failed: build: exit code 1`;

// buildah bud, two platforms, a COPY that fails (buildah's own wording).
const BUILDAH = `$ buildah bud --platform linux/arm64,linux/amd64 -f RDP/Dockerfile.controller RDP
[linux/amd64] STEP 1/3: FROM scratch
[linux/amd64] STEP 2/3: COPY controller/does-not-exist.bin /app/controller
[linux/arm64] STEP 1/3: FROM scratch
[linux/arm64] STEP 2/3: COPY controller/does-not-exist.bin /app/controller
Error: 2 errors occurred:
\t* building at STEP "COPY controller/does-not-exist.bin /app/controller": no such file or directory
\t* building at STEP "COPY controller/does-not-exist.bin /app/controller": no such file or directory

[skipped: push 127.0.0.1:5055/pickme/lucid-rdp-controller:latest-arm64]
$ buildah manifest rm lucid-build-14
Error: 1 error occurred:
\t* lucid-build-14: image not known
Build failed: build: buildah exited with code 125`;

describe("build log structure", () => {
  it("folds BuildKit's interleaved steps into one group each, with status and duration", () => {
    const log = structureLog(numbered(BUILDX), { finished: true, failed: true });
    const byKey = new Map(steps(log).map((s) => [s.key, s]));
    expect(byKey.get("#1")).toMatchObject({ title: "[internal] load build definition from Dockerfile", status: "done", durationS: 0 });
    expect(byKey.get("#4")?.status).toBe("cached");
    expect(byKey.get("#6")).toMatchObject({ title: "[linux/amd64 builder 2/4] RUN pip install -r requirements.txt", status: "error" });
    expect(byKey.get("#6")?.lines.map((l) => l.n)).toEqual([11, 13, 15, 16]);
    expect(byKey.get("#7")?.status).toBe("canceled");
  });

  it("lists BuildKit's error lines and the verdict, and dims the cleanup after its report", () => {
    const lines = numbered(BUILDX);
    const log = structureLog(lines, { finished: true, failed: true });
    expect(log.errors.map((l) => l.text)).toEqual([
      "#6 3.201 ERROR: Could not find a version that satisfies the requirement nope==9",
      `#6 ERROR: process "/bin/sh -c pip install -r requirements.txt" did not complete successfully: exit code: 1`,
      "3.201 ERROR: Could not find a version that satisfies the requirement nope==9",
      `ERROR: failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not complete successfully: exit code: 1`,
      "Build failed: build: exit code 1",
    ]);
    const mark = (text: string) => log.marks.get(lines.find((l) => l.text === text)!.n);
    expect(mark(`error: no builder "lucid-tmp" found`)).toBe("dim");
    expect(mark("$ docker buildx rm lucid-tmp")).toBe("dim");
    expect(mark("Dockerfile:12")).toBeUndefined();
  });

  it("folds buildah's steps per platform and ends each at the platform's next step", () => {
    const log = structureLog(numbered(BUILDAH), { finished: true, failed: true });
    const found = steps(log);
    expect(found.map((s) => `${s.title} ${s.status}`)).toEqual([
      "[linux/amd64] STEP 1/3: FROM scratch done",
      "[linux/amd64] STEP 2/3: COPY controller/does-not-exist.bin /app/controller error",
      "[linux/arm64] STEP 1/3: FROM scratch done",
      "[linux/arm64] STEP 2/3: COPY controller/does-not-exist.bin /app/controller error",
    ]);
    expect(found.every((s) => s.durationS === null)).toBe(true);
  });

  it("lists buildah's failure report, not the cleanup's own error, which it dims", () => {
    const lines = numbered(BUILDAH);
    const log = structureLog(lines, { finished: true, failed: true });
    expect(log.errors.map((l) => l.n)).toEqual([6, 7, 8, 14]);
    expect(log.marks.get(11)).toBe("dim");
    expect(log.marks.get(12)).toBe("dim");
    expect(log.marks.get(14)).toBe("error");
  });

  it("keeps the last step of a running build running, and marks nothing in a clean log", () => {
    const log = structureLog(numbered("[linux/amd64] STEP 1/2: FROM scratch\n[linux/amd64] STEP 2/2: COPY a /a\ncopying -Werror flags"), { finished: false, failed: false });
    expect(steps(log).map((s) => s.status)).toEqual(["done", "running"]);
    expect(log.errors).toEqual([]);
    expect(log.marks.size).toBe(0);
  });
});
