import { CommanderError, type Command } from "commander";

/** Parses and runs; commander's own errors (usage, --help) end with their exit code, a command's with `exitCode()`. */
export async function runProgram(program: Command, argv: string[], exitCode: () => number): Promise<number> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return exitCode();
}
