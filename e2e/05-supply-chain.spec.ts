import { expect, test } from "./support/fixtures";
import { createToken } from "./support/api";
import { pushScratchBase } from "./support/buildah";

// A base that moves: buildah pushes a base FROM scratch to the loopback registry, the dashboard builds lucid-tron-client
// FROM it (e2e/fixtures/lucid-checkout/payment-systems/tron), the base is pushed again under the same tag, and the
// Base images view flags the dependent and rebuilds it.

const BASE = "127.0.0.1:5055/lucid-e2e/distroless-base:nonroot";

test("a base pushed again under its tag flags the image built FROM it, which is rebuilt from the Base images view", async ({ page, request }) => {
  test.setTimeout(240_000);
  pushScratchBase(BASE, "base v1");

  await page.goto("/images/lucid-tron-client");
  await page.getByRole("button", { name: "Build lucid-tron-client" }).click();
  await expect(page).toHaveURL(/\/builds\/\d+$/);
  await expect(page.getByTestId("build-summary")).toContainText("succeeded, pushed", { timeout: 90_000 });
  // Read back after the push: buildah writes no attestations and nothing signed it.
  // (in the index's order, which depends on which platform buildah finished first).
  const supplyLine = page.getByTestId("build-log").getByText(/^Supply chain:/);
  for (const platform of ["linux/arm64", "linux/amd64"]) await expect(supplyLine).toContainText(`${platform}: no SBOM, no provenance`);
  await expect(supplyLine).toContainText("signature: unsigned");

  await page.goto("/bases");
  await expect(page.getByTestId("bases-schedule")).toContainText("Checked on demand only");
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByRole("status")).toContainText("1 base checked", { timeout: 30_000 });
  const card = page.locator(`[data-base="${BASE}"]`);
  await expect(card.locator('[data-image="lucid-tron-client"]')).toHaveAttribute("data-state", "up-to-date");
  await expect(card.locator('[data-image="lucid-tron-client"]')).toContainText("by its layers");
  await expect(page.getByTestId("rebuild-summary")).toHaveAttribute("data-count", "0");

  // The distroless maintainers ship a fix under the same tag.
  pushScratchBase(BASE, "base v2, with the security fix");
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByRole("status")).toContainText(`1 moved (${BASE})`, { timeout: 30_000 });
  const summary = page.getByTestId("rebuild-summary");
  await expect(summary).toHaveAttribute("data-count", "1");
  await expect(summary).toContainText("1 image needs a rebuild");
  await expect(card.locator('[data-image="lucid-tron-client"]')).toHaveAttribute("data-state", "stale");
  await expect(card.locator('[data-image="lucid-tron-client"]')).toContainText("do not start with the current base's");
  await page.screenshot({ path: "test-results/screenshots/bases-stale.png", fullPage: true });

  // The overview says it, and the image page's Supply chain section and compliance agree.
  await page.goto("/");
  await expect(page.getByTestId("rebuild-notice")).toContainText("1 image needs a rebuild");
  await page.goto("/images/lucid-tron-client#supply-chain");
  const section = page.getByTestId("supply-chain");
  await expect(section.locator(`[data-base="${BASE}"]`)).toHaveAttribute("data-state", "stale");
  await expect(section.getByTestId("signature")).toHaveAttribute("data-state", "unsigned");
  await expect(page.locator('tr[data-rule="base-up-to-date"]')).toContainText("rebuild:");
  await expect(page.locator('tr[data-rule="attestations-present"]')).toContainText("has no SBOM and no provenance");
  await section.screenshot({ path: "test-results/screenshots/image-supply-chain.png" });

  // The API says the same, with the evidence; a token without builds:run may read but not check.
  const reader = createToken("e2e-bases-reader", ["builds:write"]);
  const bases = await (await request.get("/api/bases", { headers: { Authorization: `Bearer ${reader}` } })).json();
  expect(bases.needRebuild).toEqual(["lucid-tron-client"]);
  const base = bases.bases.find((b: { reference: string }) => b.reference === BASE);
  expect(base.images).toEqual([expect.objectContaining({ image: "lucid-tron-client", state: "stale", evidence: "layers" })]);
  expect(base.movedAt).not.toBeNull();
  expect((await request.post("/api/bases/check", { headers: { Authorization: `Bearer ${reader}` } })).status()).toBe(403);

  // One action rebuilds it, after saying which images.
  await page.goto("/bases");
  await page.getByRole("button", { name: "Rebuild 1" }).click();
  const dialog = page.getByRole("dialog", { name: "Queue 1 rebuild?" });
  await expect(dialog).toContainText("lucid-tron-client");
  await dialog.getByRole("button", { name: "Queue 1 rebuild" }).click();
  await expect(page.getByRole("status")).toContainText("1 rebuild queued: lucid-tron-client");

  // Built again from the new base: current, and nothing left to rebuild.
  await page.goto("/images/lucid-tron-client");
  await expect(page.getByTestId("image-state")).toContainText("Pushed", { timeout: 90_000 });
  await expect(async () => {
    const history = await (await request.get("/api/images/lucid-tron-client", { headers: { Authorization: `Bearer ${reader}` } })).json();
    expect(history.history.builds.filter((b: { status: string }) => b.status === "succeeded")).toHaveLength(2);
  }).toPass({ timeout: 90_000 });
  await page.goto("/bases");
  await expect(page.getByTestId("rebuild-summary")).toHaveAttribute("data-count", "0");
  await expect(card.locator('[data-image="lucid-tron-client"]')).toHaveAttribute("data-state", "up-to-date");

  // Audited: the check and the rebuild, with who asked.
  await page.goto("/admin/audit");
  await expect(page.locator('tr[data-action="build.rebuild_stale"]')).toContainText("user admin@e2e.test");
  await expect(page.locator('tr[data-action="bases.check"]').first()).toContainText("user admin@e2e.test");
});
