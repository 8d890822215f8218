import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { loadBuild } from "@/lib/views/queries";
import { idParam } from "@/lib/http";
import { BuildView } from "@/components/builds/build-view";
import { requireReader } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Build #${(await params).id}` };
}

export default async function BuildPage({ params }: Props) {
  const raw = (await params).id;
  await requireReader();
  const id = idParam(raw);
  if (id === null) notFound();
  const build = await loadBuild(id);
  if (!build) notFound();
  return <BuildView initial={build} />;
}
