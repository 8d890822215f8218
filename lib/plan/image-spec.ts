import type { Image } from "@/lib/generated/prisma/client";
import { jsonStrings } from "@/lib/db/json";

/** What the plan says about one image, as the overview, the image page and the API show it. */
export type ImageSpec = {
  name: string;
  step: number;
  title: string;
  repository: string;
  tags: string[];
  dockerfile: string;
  context: string;
  platforms: string[];
  port: number | null;
  healthPath: string | null;
  expectedUser: string;
};

export function toImageSpec(image: Image): ImageSpec {
  return {
    name: image.name,
    step: image.step,
    title: image.title,
    repository: image.repository,
    tags: jsonStrings(image.tags),
    dockerfile: image.dockerfile,
    context: image.context,
    platforms: jsonStrings(image.platforms),
    port: image.port,
    healthPath: image.healthPath,
    expectedUser: image.expectedUser,
  };
}
