import type { NextConfig } from "next";

// Origins besides the dashboard's own that may call server actions (e.g. a reverse proxy's public host when it
// rewrites Host): LUCID_ALLOWED_ORIGINS, comma-separated hosts. Empty by default, so Next.js refuses any server
// action whose Origin differs from the Host.
const allowedOrigins = (process.env.LUCID_ALLOWED_ORIGINS ?? "")
  .split(",")
  .map((origin) => origin.trim().replace(/^https?:\/\//, ""))
  .filter(Boolean);

// Sent with every response. The Content-Security-Policy needs a fresh nonce per request, so proxy.ts sets it
// (lib/security/csp.ts); frame-ancestors 'none' there is backed by X-Frame-Options for older browsers.
const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  {
    key: "Permissions-Policy",
    value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), midi=(), accelerometer=(), gyroscope=(), magnetometer=(), browsing-topics=()",
  },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig: NextConfig = {
  // better-sqlite3 is a native addon: load it from node_modules at run time, never bundle it.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3"],
  poweredByHeader: false,
  experimental: {
    serverActions: { bodySizeLimit: "2mb", allowedOrigins },
    // forbidden() in requireRole (lib/auth/session.ts) renders app/forbidden.tsx with status 403.
    authInterrupts: true,
  },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
