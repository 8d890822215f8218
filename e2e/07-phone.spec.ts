import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";

// Every page, at a phone's and a desktop's width, light and dark. Runs last, when every page has data to show.
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

async function everyPage(request: APIRequestContext): Promise<string[]> {
  const plan = (await (await request.get("/api/plan")).json()) as {
    phases: { images: { name: string; state: string; latestBuild: { id: number } | null }[] }[];
  };
  const images = plan.phases.flatMap((p) => p.images);
  const built = images.find((i) => i.latestBuild && i.state !== "failed")!;
  const failed = images.find((i) => i.state === "failed" && i.latestBuild);
  return [
    "/",
    "/status",
    "/bases",
    "/images/lucid-tron-client",
    `/images/${built.name}`,
    "/images/lucid-rdp-monitor",
    `/builds/${built.latestBuild!.id}`,
    ...(failed ? [`/images/${failed.name}`, `/builds/${failed.latestBuild!.id}`] : []),
    "/plan/import",
    "/settings",
    "/account",
    "/admin/users",
    "/admin/tokens",
    "/admin/notifications",
    "/admin/audit",
  ];
}

const shotName = (path: string) => path.replaceAll("/", "-").replace(/^-/, "") || "overview";

async function open(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
}

test("every page fits a 390 px phone", async ({ page, request }) => {
  await page.setViewportSize(PHONE);
  const wide: string[] = [];
  for (const path of await everyPage(request)) {
    await open(page, path);
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
    await page.screenshot({ path: `test-results/screenshots/phone-${shotName(path)}.png`, fullPage: true });
  }
  expect(wide, "pages wider than the phone").toEqual([]);
});

// axe's serious and critical findings (contrast, names, roles, labels) on every page, light and dark, wide and narrow.
for (const scheme of ["light", "dark"] as const) {
  test(`no serious accessibility violations on any page (${scheme})`, async ({ page, request }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme });
    const found: string[] = [];
    for (const path of await everyPage(request)) {
      for (const [width, size] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
        await page.setViewportSize(size);
        await open(page, path);
        const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
        for (const v of violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
          found.push(`${path} (${width}): ${v.id}: ${v.help} → ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
        }
        await page.screenshot({ path: `test-results/screenshots/${width}-${scheme}-${shotName(path)}.png`, fullPage: true });
      }
    }
    expect(found, "serious accessibility violations").toEqual([]);
  });
}

test("the README's screenshot: the overview with every section filled", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1500 });
  await open(page, "/");
  await expect(page.getByTestId("build-time-chart")).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/readme-overview.png" });
});
