// The arguments `next start` gets from scripts/serve.mjs: the command line as given, plus PORT and HOSTNAME from the
// environment when the command line does not name them, so `HOSTNAME=127.0.0.1 npm start` binds only loopback.

/** @param {string[]} argv the arguments after `serve.mjs` @param {Record<string, string | undefined>} env */
export function nextStartArgs(argv, env) {
  const has = (...names) => argv.some((arg) => names.some((name) => arg === name || arg.startsWith(`${name}=`)));
  const args = ["start", ...argv];
  if (!has("--hostname", "-H") && env.HOSTNAME?.trim()) args.push("--hostname", env.HOSTNAME.trim());
  if (!has("--port", "-p") && env.PORT?.trim()) args.push("--port", env.PORT.trim());
  return args;
}
