// Path parameters the API routes take, each checked the one way (lib/plan/names.ts for image names).
import { idParam } from "@/lib/http";
import { IMAGE_NAME_PATTERN } from "@/lib/plan/names";
import { ParamError } from "@/lib/api/route";

export function imageNameParam(raw: string): string {
  if (!IMAGE_NAME_PATTERN.test(raw)) throw new ParamError(`"${raw.slice(0, 80)}" is not a valid image name`);
  return raw;
}

export function buildIdParam(raw: string): number {
  const id = idParam(raw);
  if (id === null) throw new ParamError(`"${raw.slice(0, 40)}" is not a build id`);
  return id;
}

export function phaseNumberParam(raw: string): number {
  if (!/^[1-9][0-9]?$/.test(raw)) throw new ParamError(`"${raw.slice(0, 40)}" is not a phase number`);
  return Number(raw);
}
