// The image's HEALTHCHECK (distroless has no shell or curl): healthy when the dashboard answers its sign-in page.
const port = process.env.PORT ?? "3000";
try {
  const response = await fetch(`http://127.0.0.1:${port}/login`, { redirect: "manual", signal: AbortSignal.timeout(4_000) });
  process.exit(response.status < 500 ? 0 : 1);
} catch {
  process.exit(1);
}
