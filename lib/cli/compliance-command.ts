// `lucid compliance`, as a commander command: registered by the full CLI (lib/cli/main.ts) and by the compiled
// compliance-only entry (lib/cli/compliance-main.ts) that CI runs, so both take the same options.
import { Command, CommanderError } from "commander";
import { complianceCommand, type ComplianceCommandOptions } from "@/lib/cli/compliance";

export function addComplianceCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("compliance")
    .description("check Dockerfiles against the compliance rules, without the server or database (exit 1: a result at or above --fail-on)")
    .argument("[files...]", "the Dockerfiles to check")
    .option("--format <format>", "text (hadolint-style lines), json ([{ file, parseError, findings, facts }]) or sarif (SARIF 2.1.0, for GitHub code scanning)")
    .option("--json", "the same as --format json")
    .option("--fail-on <level>", "exit 1 on a result at or above: error (a fail, the default), warning, or never")
    .option("--port <port>", "the service port the plan gives (EXPOSE and the health check must use it)")
    .option("--user <user>", "the user the image must run as", "65532:65532")
    // Usage errors exit 2 here, so CI can tell them from rule failures (1).
    .exitOverride((error) => {
      throw error.exitCode === 0 ? error : new CommanderError(2, error.code, error.message);
    })
    .action(async (files: string[], opts: ComplianceCommandOptions) => {
      setExitCode(await complianceCommand(files, opts));
    });
}
