"use client";

// The signed-in user as client components see it, to hide what their role cannot do. Only for hiding:
// every action is checked again on the server.
import { createContext, useContext } from "react";
import { can, type Permission, type Role } from "@/lib/auth/roles";

export type Viewer = { email: string; name: string; role: Role | null } | null;

const ViewerContext = createContext<Viewer>(null);

export function ViewerProvider({ viewer, children }: { viewer: Viewer; children: React.ReactNode }) {
  return <ViewerContext.Provider value={viewer}>{children}</ViewerContext.Provider>;
}

function useViewer(): Viewer {
  return useContext(ViewerContext);
}

/** Whether the signed-in user's role has this permission (false for anonymous readers). */
export function useCan(permission: Permission): boolean {
  return can(useViewer()?.role, permission);
}
