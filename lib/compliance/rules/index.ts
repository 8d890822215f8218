// Every Dockerfile rule, in the order findings are reported. Adding a rule: one new file and one line here.
import type { DockerfileRule } from "@/lib/compliance/rules/rule";
import { dockerfilePresent } from "@/lib/compliance/rules/dockerfile-present";
import { distrolessFinalStage } from "@/lib/compliance/rules/distroless-final-stage";
import { nonRootUser } from "@/lib/compliance/rules/non-root-user";
import { expectedUser } from "@/lib/compliance/rules/expected-user";
import { healthcheck } from "@/lib/compliance/rules/healthcheck";
import { multiStage } from "@/lib/compliance/rules/multi-stage";
import { execForm } from "@/lib/compliance/rules/exec-form";
import { pinnedBase } from "@/lib/compliance/rules/pinned-base";
import { portMatchesPlan } from "@/lib/compliance/rules/port-matches-plan";
import { noSecretsInEnv } from "@/lib/compliance/rules/no-secrets-in-env";
import { noRemoteAdd } from "@/lib/compliance/rules/no-remote-add";
import { noSecretFiles } from "@/lib/compliance/rules/no-secret-files";

export const DOCKERFILE_RULES: readonly DockerfileRule[] = [
  dockerfilePresent,
  distrolessFinalStage,
  nonRootUser,
  expectedUser,
  healthcheck,
  multiStage,
  execForm,
  pinnedBase,
  portMatchesPlan,
  noSecretsInEnv,
  noSecretFiles,
  noRemoteAdd,
];
