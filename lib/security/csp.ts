// The Content-Security-Policy, built per request by proxy.ts with a fresh nonce. Next.js reads the nonce from
// the request's CSP header and puts it on its own inline and framework scripts, so script-src needs neither
// 'unsafe-inline' nor 'unsafe-eval' in production. Pages are all rendered per request (the layout reads the session).

/** A fresh nonce: 16 random bytes, base64. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy(nonce: string, options: { dev?: boolean; https?: boolean } = {}): string {
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    // 'strict-dynamic': chunks loaded by the nonced Next.js runtime are trusted; nothing else runs.
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(options.dev ? ["'unsafe-eval'"] : [])],
    // <style> elements need the nonce; style="" attributes (React and Recharts set them) are allowed. `next dev`
    // injects <style> elements without a nonce, so there (only) inline styles are allowed instead (a nonce in the
    // list would make browsers ignore 'unsafe-inline').
    ["style-src", "'self'", ...(options.dev ? ["'unsafe-inline'"] : [`'nonce-${nonce}'`])],
    ["style-src-attr", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'"],
    ["connect-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
    ["frame-src", "'none'"],
    ["worker-src", "'self'", "blob:"],
    ["manifest-src", "'self'"],
  ];
  // Only behind TLS: on a plain-HTTP LAN host it would send every asset request to https and break the page.
  if (options.https) directives.push(["upgrade-insecure-requests"]);
  return directives.map((d) => d.join(" ")).join("; ");
}
