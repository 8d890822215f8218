import { Command } from "commander";
import { runProgram } from "@/lib/cli/run-program";
import { addComplianceCommand } from "@/lib/cli/compliance-command";
import { planImportCommand } from "@/lib/cli/plan-import";
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from "@/lib/cli/token";
import { userCreateCommand, userDeleteCommand, userListCommand, userSetRoleCommand, type UserCreateOptions } from "@/lib/cli/user";
import { ROLES } from "@/lib/auth/roles";
import { dbCopyCommand } from "@/lib/cli/db-copy";
import { scanCheckCommand, scanImportCommand, type ScanCheckOptions } from "@/lib/cli/scan";

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

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

  const token = program.command("token").description("API tokens for scripts and outside builders");
  token
    .command("create")
    .description("create a token and print it once")
    .argument("<name>", "a name to tell the token apart, e.g. ci or pi5-builder")
    .option("--scope <scope>", "a scope the token grants; repeat for several (default: builds:write)", collect)
    .action(async (name: string, opts: { scope?: string[] }) => {
      exitCode = await tokenCreateCommand(name, opts);
    });
  token
    .command("list")
    .description("list tokens (never their secrets)")
    .action(async () => {
      exitCode = await tokenListCommand();
    });
  token
    .command("revoke")
    .description("revoke a token; requests with it are refused from then on")
    .argument("<name>", "the token's name")
    .action(async (name: string) => {
      exitCode = await tokenRevokeCommand(name);
    });

  const user = program.command("user").description("accounts that sign in to the dashboard (roles: viewer, operator, admin)");
  user
    .command("create")
    .description("create a user; the password is asked for on a terminal (twice), or read from standard input")
    .argument("<email>", "the email they sign in with")
    .option("--admin", "make the user an admin (the same as --role admin)")
    .option("--role <role>", `${ROLES.join(", ")} (default: viewer)`)
    .option("--name <name>", "a display name (default: the part of the email before @)")
    .option("--password-stdin", "read the password from standard input, e.g. printf %s \"$PW\" | npx lucid user create ...")
    .action(async (email: string, opts: UserCreateOptions) => {
      exitCode = await userCreateCommand(email, opts);
    });
  user
    .command("list")
    .description("list users and their roles")
    .action(async () => {
      exitCode = await userListCommand();
    });
  user
    .command("set-role")
    .description("change a user's role (the last admin cannot be demoted)")
    .argument("<email>", "the user's email")
    .argument("<role>", ROLES.join(" | "))
    .action(async (email: string, role: string) => {
      exitCode = await userSetRoleCommand(email, role);
    });
  user
    .command("delete")
    .description("delete a user and their sessions (the last admin cannot be deleted)")
    .argument("<email>", "the user's email")
    .action(async (email: string) => {
      exitCode = await userDeleteCommand(email);
    });

  const scan = program.command("scan").description("vulnerability scanner reports (Trivy JSON, Grype JSON, SARIF 2.1.0)");
  scan
    .command("import")
    .description("keep a report with the pushed build it describes (its digest must match, or the report names none)")
    .requiredOption("--build <n>", "the build's number, as on its page (/builds/N)")
    .argument("<file>", "the report")
    .action(async (file: string, opts: { build: string }) => {
      exitCode = await scanImportCommand(file, opts);
    });
  scan
    .command("check")
    .description("exit 1 when the report lists findings at the given severities (a CI gate; no server needed)")
    .argument("<file>", "the report")
    .option("--fail-on <severities>", "comma-separated: critical, high, medium, low, unknown", "critical,high")
    .option("--fixable-only", "count only findings with a fixed version")
    .action(async (file: string, opts: ScanCheckOptions) => {
      exitCode = await scanCheckCommand(file, opts);
    });

  const db = program.command("db").description("the dashboard's database");
  db.command("copy")
    .description("copy a SQLite database's data (DATABASE_URL) into an empty PostgreSQL database, checking every table's row count")
    .requiredOption("--to <url>", "postgresql://user:password@host:5432/database")
    .option("--from <url>", "the SQLite database (default: DATABASE_URL, then file:./data/lucid.db)")
    .action(async (opts: { to: string; from?: string }) => {
      exitCode = await dbCopyCommand(opts);
    });

  addComplianceCommand(program, (code) => {
    exitCode = code;
  });

  return runProgram(program, argv, () => exitCode);
}
