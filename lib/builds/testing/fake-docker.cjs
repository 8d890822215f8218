#!/usr/bin/env node
// A stand-in for `docker` in the worker's integration tests (lib/builds/worker.test.ts). The test copies
// it to a temporary folder as `docker` and puts that folder first on PATH. Behaviour, from the environment
// the runner passes through:
//   FAKE_DOCKER_ARGV              appends ["docker", ...arguments] as one JSON line
//   FAKE_DOCKER_CWD               appends the working folder as one line
//   FAKE_DOCKER_MODE              ok | fail | sleep
//   FAKE_DOCKER_DIGEST            the containerimage.digest written to --metadata-file (ok mode)
//   FAKE_DOCKER_PID               sleep mode: appends its own pid as one line
//   FAKE_DOCKER_GRANDCHILD_PID    sleep mode: appends the pid of the `sleep 60` it starts as one line
//   FAKE_DOCKER_IGNORE_SIGTERM=1  sleep mode: ignore SIGTERM (a builder slow to stop); SIGKILL still ends it
// Progress goes to stderr, as `docker buildx build --progress=plain` writes it, with some ANSI colour.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawn } = require("node:child_process");

const env = process.env;
const args = process.argv.slice(2);
const append = (file, line) => {
  if (file) fs.appendFileSync(file, `${line}\n`);
};
append(env.FAKE_DOCKER_ARGV, JSON.stringify([path.basename(process.argv[1] ?? "docker"), ...args]));
append(env.FAKE_DOCKER_CWD, process.cwd());

const progress = (line) => process.stderr.write(`${line}\n`);
const valueOf = (flag) => {
  const at = args.indexOf(flag);
  return at === -1 ? undefined : args[at + 1];
};
const tags = args.filter((_arg, i) => args[i - 1] === "-t");
const blue = (text) => `\x1b[34m${text}\x1b[0m`;
const green = (text) => `\x1b[32m${text}\x1b[0m`;

progress(blue("#1 [internal] load build definition from Dockerfile"));
progress("#1 transferring dockerfile: 1.21kB done");
progress(green("#1 DONE 0.0s"));
progress("#5 [builder 2/4] RUN pip install -r requirements.txt");

const mode = env.FAKE_DOCKER_MODE ?? "ok";
if (mode === "ok") {
  progress(green("#5 DONE 0.1s"));
  if (args.includes("--push")) progress(`#9 pushing manifest for ${tags[0] ?? "?"} 0.1s done`);
  const metadataFile = valueOf("--metadata-file");
  if (metadataFile) {
    const digest = env.FAKE_DOCKER_DIGEST || `sha256:${"ab".repeat(32)}`;
    fs.writeFileSync(metadataFile, JSON.stringify({ "containerimage.digest": digest, "image.name": tags.join(",") }));
  }
  process.exitCode = 0;
} else if (mode === "fail") {
  process.stderr.write('ERROR: failed to solve: process "/bin/sh -c pip install" did not complete successfully: exit code: 1\n');
  process.exitCode = 1;
} else if (mode === "sleep") {
  progress("#5 sleeping until stopped");
  if (env.FAKE_DOCKER_IGNORE_SIGTERM === "1") process.on("SIGTERM", () => {});
  append(env.FAKE_DOCKER_PID, String(process.pid));
  // Same process group as this stand-in; only a stop of the whole group reaches it.
  const grandchild = spawn("sleep", ["60"], { stdio: "ignore" });
  append(env.FAKE_DOCKER_GRANDCHILD_PID, String(grandchild.pid));
  setInterval(() => {}, 60_000);
} else {
  process.stderr.write(`fake docker: unknown FAKE_DOCKER_MODE ${JSON.stringify(mode)}\n`);
  process.exitCode = 2;
}
