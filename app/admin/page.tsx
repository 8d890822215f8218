import { redirect } from "next/navigation";
import { PERMISSIONS } from "@/lib/auth/roles";
import { requireRole } from "@/lib/auth/session";

export default async function AdminPage() {
  await requireRole(PERMISSIONS["users:manage"]);
  redirect("/admin/users");
}
