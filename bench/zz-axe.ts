import { chromium } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
const base = "http://127.0.0.1:3299";
const paths = (process.argv[2] ?? "/,/status,/images/lucid-session-api,/images/lucid-rdp-monitor,/images/lucid-session-pipeline,/builds/3,/builds/10,/plan/import,/settings,/admin/users,/admin/tokens,/admin/audit").split(",");
const schemes = (process.env.SCHEMES ?? "light,dark").split(",") as ("light" | "dark")[];
const widths = (process.env.WIDTHS ?? "1440,390").split(",").map(Number);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
const ctx = await browser.newContext({ baseURL: base });
const page = await ctx.newPage();
await page.goto("/login");
await page.getByLabel("Email").fill("admin@e2e.test");
await page.getByLabel("Password").fill("e2e admin password");
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL((u) => !u.pathname.startsWith("/login"));
const seen = new Set<string>();
for (const scheme of schemes) {
  await page.emulateMedia({ colorScheme: scheme });
  for (const path of paths) for (const w of widths) {
    await page.setViewportSize({ width: w, height: w > 500 ? 900 : 844 });
    await page.goto(path); await page.waitForLoadState("networkidle");
    if (!process.env.NOAXE) {
      const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
      for (const v of violations.filter((v) => v.impact === "serious" || v.impact === "critical")) for (const n of v.nodes.slice(0, 4)) {
        const key = `${v.id} ${n.target.join(" ")}`; if (seen.has(key)) continue; seen.add(key);
        console.log(`${path} ${w} ${scheme}: ${v.id}: ${n.target.join(" ")} :: ${(n.failureSummary ?? "").split("\n").slice(1, 2).join(" ").slice(0, 160)}`);
      }
    }
    if (process.env.WAIT) await page.waitForTimeout(Number(process.env.WAIT));
    const clip = process.env.CLIP?.split(":").map(Number);
    await page.screenshot({ path: `/tmp/shots/${w}-${scheme}-${path.replaceAll("/", "_")}.png`, fullPage: true, ...(clip ? { clip: { x: 0, y: clip[0]!, width: w, height: clip[1]! } } : {}) });
  }
}
await browser.close();
