// The arguments `next start` gets from scripts/serve.mjs: the command line as given, plus PORT and HOSTNAME from the
// environment when the command line does not name them, so `HOSTNAME=127.0.0.1 npm start` binds only loopback (a
// HOSTNAME that is a machine or container name is ignored: that is what containers set it to).

/** @param {string[]} argv the arguments after `serve.mjs` @param {Record<string, string | undefined>} env */
function isAddress(host) {
  return host === "localhost" || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.includes(":") && /^[0-9a-f:.]+$/i.test(host));
}

export function nextStartArgs(argv, env) {
  const has = (...names) => argv.some((arg) => names.some((name) => arg === name || arg.startsWith(`${name}=`)));
  const args = ["start", ...argv];
  const host = env.HOSTNAME?.trim() ?? "";
  // Containers set HOSTNAME to their own name (a container id, a pod name): binding to that would leave the server
  // unreachable on loopback, so only an address or "localhost" chooses the interface.
  if (!has("--hostname", "-H") && isAddress(host)) args.push("--hostname", host);
  if (!has("--port", "-p") && env.PORT?.trim()) args.push("--port", env.PORT.trim());
  return args;
}
