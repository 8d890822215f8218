import { expect, test } from "./support/fixtures";

// Every page at a phone's width: nothing may make the document wider than the screen (content that needs more
// room scrolls inside its own box, with a cue). Runs last, when every page has data to show.
const PHONE = { width: 390, height: 844 };

test("every page fits a 390 px phone", async ({ page, request }) => {
  const plan = (await (await request.get("/api/plan")).json()) as { phases: { images: { name: string; latestBuild: { id: number } | null }[] }[] };
  const images = plan.phases.flatMap((p) => p.images);
  const built = images.find((i) => i.latestBuild)!;
  const pages = ["/", "/status", `/images/${built.name}`, "/images/lucid-rdp-monitor", `/builds/${built.latestBuild!.id}`, "/plan/import", "/settings", "/admin/users", "/admin/tokens", "/admin/audit"];
  await page.setViewportSize(PHONE);
  const wide: string[] = [];
  for (const path of pages) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > PHONE.width) {
      const culprits = await page.evaluate((max) => {
        const out: string[] = [];
        for (const el of Array.from(document.querySelectorAll("body *"))) {
          const r = el.getBoundingClientRect();
          if (r.right > max + 1 && getComputedStyle(el).position !== "fixed") {
            const parentOver = el.parentElement && el.parentElement.getBoundingClientRect().right > max + 1;
            if (!parentOver) out.push(`${el.tagName.toLowerCase()}.${(el.className || "").toString().slice(0, 60)} → ${Math.round(r.right)}px`);
          }
        }
        return out.slice(0, 4);
      }, PHONE.width);
      wide.push(`${path}: ${width}px (${culprits.join("; ")})`);
    }
    await page.screenshot({ path: `test-results/screenshots/phone${path.replaceAll("/", "-") || "-overview"}.png`, fullPage: true });
  }
  expect(wide, "pages wider than the phone").toEqual([]);
});
