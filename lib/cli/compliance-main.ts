// The entry `npx lucid compliance` runs compiled (bin/lucid.mjs bundles it with esbuild): the compliance command
// alone, with nothing that needs the database, so a CI job starts in milliseconds instead of compiling the app.
import { Command } from "commander";
import { addComplianceCommand } from "@/lib/cli/compliance-command";
import { runProgram } from "@/lib/cli/run-program";

export async function complianceMain(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command("lucid").exitOverride().showHelpAfterError();
  addComplianceCommand(program, (code) => {
    exitCode = code;
  });
  return runProgram(program, argv, () => exitCode);
}
