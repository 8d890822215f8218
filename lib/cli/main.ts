import { Command, CommanderError } from "commander";
import { planImportCommand } from "@/lib/cli/plan-import";

/** Runs the CLI and returns the exit code; commands print their own messages. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command("lucid")
    .description("Lucid Build Dashboard command line")
    .exitOverride()
    .showHelpAfterError();

  const plan = program.command("plan").description("build plan commands");
  plan
    .command("import")
    .description("import a build-commands document (Markdown with docker buildx build commands)")
    .argument("<file>", "the document to import")
    .option("--dry-run", "parse and show what would change, without writing")
    .option("--allow-removals", "allow removing images that have build records")
    .action(async (file: string, opts: { dryRun?: boolean; allowRemovals?: boolean }) => {
      exitCode = await planImportCommand(file, opts);
    });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return exitCode;
}
