import type { Metadata } from "next";
import { requireReader } from "@/lib/auth/session";
import { loadBasesView } from "@/lib/views/queries";
import { BasesViewPanel } from "@/components/supply-chain/bases-view";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Base images" };

export default async function BasesPage() {
  await requireReader("/bases");
  return <BasesViewPanel view={await loadBasesView()} />;
}
