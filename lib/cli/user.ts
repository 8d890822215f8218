// `npx lucid user ...`: accounts from the command line (the first admin above all). Passwords are read from a
// terminal without echo, or from standard input with --password-stdin; never from an argument, where they
// would be left in the shell history and the process list.
import { withDatabase } from "@/lib/cli/database";
import { CLI_ACTOR } from "@/lib/audit/audit";
import { isRole, ROLES, type Role } from "@/lib/auth/roles";
import { checkPassword, createUser, deleteUser, listUsers, setUserRole, UserError, type UserInfo } from "@/lib/auth/users";
import { formatUtc } from "@/lib/format";

export type PasswordSource = {
  /** Standard input is a terminal (a prompt is possible). */
  isTTY: boolean;
  /** Prompts without echo and returns what was typed. */
  prompt: (question: string) => Promise<string>;
  /** All of standard input. */
  readAll: () => Promise<string>;
};

/** Reads a line from the terminal in raw mode, echoing nothing; Ctrl-C aborts. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = "";
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    const done = (error?: Error) => {
      stdin.setRawMode(wasRaw);
      stdin.pause();
      stdin.removeListener("data", onData);
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") return done();
        if (char === "\u0003") return done(new UserError("cancelled"));
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else if (char >= " ") value += char;
      }
    };
    stdin.on("data", onData);
  });
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

const processPasswordSource: PasswordSource = {
  isTTY: Boolean(process.stdin.isTTY),
  prompt: promptHidden,
  readAll: readAllStdin,
};

/** The new user's password: from standard input (one trailing newline dropped) or typed twice on a terminal. */
export async function readNewPassword(opts: { passwordStdin?: boolean }, source: PasswordSource): Promise<string> {
  if (opts.passwordStdin) {
    const password = (await source.readAll()).replace(/\r?\n$/, "");
    checkPassword(password);
    return password;
  }
  if (!source.isTTY) throw new UserError("no password given: run this on a terminal to be asked for one, or pipe it in with --password-stdin");
  const password = await source.prompt("Password: ");
  checkPassword(password);
  if ((await source.prompt("Repeat the password: ")) !== password) throw new UserError("the passwords differ; nothing was created");
  return password;
}

export type UserCreateOptions = { admin?: boolean; role?: string; name?: string; passwordStdin?: boolean };

export function resolveRole(opts: UserCreateOptions): Role {
  if (opts.admin && opts.role && opts.role !== "admin") throw new UserError(`--admin and --role ${opts.role} disagree: give one of them`);
  const role = opts.admin ? "admin" : (opts.role ?? "viewer");
  if (!isRole(role)) throw new UserError(`unknown role ${JSON.stringify(role.slice(0, 40))}: use one of ${ROLES.join(", ")}`);
  return role;
}

export function userCreateCommand(email: string, opts: UserCreateOptions, source: PasswordSource = processPasswordSource): Promise<number> {
  return withDatabase(async (prisma) => {
    const role = resolveRole(opts);
    const password = await readNewPassword(opts, source);
    const user = await createUser(prisma, { email, password, role, name: opts.name }, CLI_ACTOR);
    console.log(`Created ${user.email} (${user.role}); they can sign in at /login.`);
  });
}

function formatTime(date: Date): string {
  return formatUtc(date, "minute", true);
}

function formatUserTable(users: readonly UserInfo[]): string[] {
  const header = ["EMAIL", "ROLE", "NAME", "CREATED"];
  const rows = users.map((u) => [u.email, u.role, u.name, formatTime(u.createdAt)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((cells) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd());
}

export function userListCommand(): Promise<number> {
  return withDatabase(async (prisma) => {
    const users = await listUsers(prisma);
    if (users.length === 0) {
      console.log("No users. Create the first admin with: npx lucid user create --admin EMAIL");
      return;
    }
    for (const line of formatUserTable(users)) console.log(line);
  });
}

export function userSetRoleCommand(email: string, role: string): Promise<number> {
  return withDatabase(async (prisma) => {
    const { user, changed } = await setUserRole(prisma, email, role, CLI_ACTOR);
    console.log(changed ? `${user.email} is now ${user.role}.` : `${user.email} already is ${user.role}; nothing changed.`);
  });
}

export function userDeleteCommand(email: string): Promise<number> {
  return withDatabase(async (prisma) => {
    const user = await deleteUser(prisma, email, CLI_ACTOR);
    console.log(`Deleted ${user.email} (${user.role}) and their sessions.`);
  });
}
