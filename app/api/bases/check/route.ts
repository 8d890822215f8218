import { apiRoute } from "@/lib/api/route";
import { RUN_SCOPE } from "@/lib/auth/roles";
import { checkSupplyChain } from "@/lib/commands/supply-chain";

export const dynamic = "force-dynamic";

/** Checks every base's tag now (HEAD requests; a base checked within the last minute is not asked again) and reads every latest push's attestations. */
export const POST = apiRoute({ access: { role: "operator", scope: RUN_SCOPE } }, async ({ caller }) => Response.json(await checkSupplyChain(caller.actor, "api")));
