import type { Metadata } from "next";
import { RelativeTime } from "@/components/ui/time";
import { CreateUserForm, DeleteUserForm, RoleForm, TemporaryPasswordForm } from "@/app/admin/users/user-forms";
import { CARD } from "@/components/ui/card";
import { prisma } from "@/lib/db/client";
import { PERMISSIONS, ROLE_SUMMARY, ROLES } from "@/lib/auth/roles";
import { requireRole } from "@/lib/auth/session";
import { listUsers } from "@/lib/auth/users";
import { TABLE } from "@/components/ui/table";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const admin = await requireRole(PERMISSIONS["users:manage"]);
  const users = await listUsers(prisma);
  return (
    <div className="space-y-6">
      <section aria-labelledby="users-title" className={CARD.table}>
        <h2 id="users-title" className="px-5 pt-4 text-lg font-semibold">Users</h2>
        {/* A phone scrolls the table inside the card; addresses stay whole on one line. */}
        <div className="relative mt-2 overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="users-table">
            <caption className="sr-only">Users, oldest first</caption>
            <thead className={TABLE.head}>
              <tr>
                <th scope="col" className={TABLE.th}>Email</th>
                <th scope="col" className={TABLE.th}>Role</th>
                <th scope="col" className={TABLE.th}>Created</th>
                <th scope="col" className={TABLE.th}><span className="sr-only">Password and deletion</span></th>
              </tr>
            </thead>
            <tbody className={TABLE.body}>
              {users.map((user) => (
                <tr key={user.id} data-user={user.email}>
                  <th scope="row" className={`${TABLE.td} font-medium`}>
                    <span className="whitespace-nowrap">{user.email}</span>
                    {user.name && user.name !== user.email.split("@")[0] ? <span className="block text-xs font-normal text-slate-500 dark:text-slate-400">{user.name}</span> : null}
                    {user.email === admin.email ? <span className="block text-xs font-normal text-slate-500 dark:text-slate-400">you</span> : null}
                    {user.mustChangePassword ? <span className="block text-xs font-normal text-amber-800 dark:text-amber-300">temporary password: must change it</span> : null}
                  </th>
                  <td className={TABLE.td}><RoleForm email={user.email} role={user.role} /></td>
                  <td className={`${TABLE.td} whitespace-nowrap tabular-nums text-slate-600 dark:text-slate-300`}><RelativeTime at={user.createdAt} /></td>
                  <td className={`${TABLE.td} text-right`}>
                    {user.email === admin.email ? null : (
                      <div className="flex flex-col items-end gap-2">
                        <TemporaryPasswordForm email={user.email} />
                        <DeleteUserForm email={user.email} />
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="create-user-title" className={CARD.roomy}>
        <h2 id="create-user-title" className="text-lg font-semibold">Create a user</h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">Nobody can sign up: the user signs in with the email and password you set here.</p>
        <CreateUserForm />
      </section>

      <section aria-labelledby="roles-title" className={CARD.roomy}>
        <h2 id="roles-title" className="text-lg font-semibold">Roles</h2>
        <dl className="mt-3 grid grid-cols-[6rem_1fr] gap-x-4 gap-y-2 text-sm" data-testid="roles-table">
          {ROLES.map((role) => (
            <div key={role} className="contents">
              <dt className="font-medium">{role}</dt>
              <dd className="text-slate-600 dark:text-slate-300">{ROLE_SUMMARY[role]}</dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
