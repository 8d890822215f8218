// The Docker Engine API stand-in for the e2e run (playwright.config.ts starts it); tests change what it reports
// with PUT /_fixture. Off (503) until then, so it never overwrites what a test reported through the API.
import { startFakeEngine } from "@/lib/deploy/running/testing/fake-engine";

const port = Number(process.env.E2E_ENGINE_PORT ?? 5056);
const engine = await startFakeEngine(port);
console.log(`fake docker engine on ${engine.url}`);
