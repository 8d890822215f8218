import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { loadImageCompliance, loadImageDeployment, loadImageDetail, loadImageHealth, loadImageSupplyChain, loadImageVulnerabilities } from "@/lib/views/queries";
import { pageParam } from "@/lib/builds/history";
import { ImageView } from "@/components/images/image-view";
import { requireReader } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ name: string }>; searchParams: Promise<{ page?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await params).name };
}

export default async function ImagePage({ params, searchParams }: Props) {
  const [{ name }, { page: rawPage }] = await Promise.all([params, searchParams]);
  await requireReader();
  const page = pageParam(rawPage);
  const [detail, compliance, health, supplyChain, vulnerabilities] = await Promise.all([
    loadImageDetail(name, page),
    loadImageCompliance(name),
    loadImageHealth(name),
    loadImageSupplyChain(name),
    loadImageVulnerabilities(name),
  ]);
  if (!detail) notFound();
  const deployment = await loadImageDeployment(name, compliance?.exposed ?? null);
  return <ImageView initial={detail} page={page} compliance={compliance} health={health} deployment={deployment} supplyChain={supplyChain} vulnerabilities={vulnerabilities} />;
}
