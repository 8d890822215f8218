import { describe, expect, it } from "vitest";
import { shellCommands } from "@/lib/compliance/shell";
import { parsePlan } from "@/lib/plan/parse";
import { substitutionsIn, withoutPrefixes } from "@/lib/shell/commands";
import { tokenizeShell } from "@/lib/shell/lexer";

const texts = (source: string) => tokenizeShell(source).commands.map((c) => c.words.map((w) => w.text));

describe("the shell reader", () => {
  it("splits simple commands, removes quotes, keeps substitutions verbatim, and numbers lines from the block's first", () => {
    const { commands, issues } = tokenizeShell(`docker buildx build \\\n  -t "a b":x \\\n  -t repo:$(date +%Y) . && echo 'done'\r\n`, 40);
    expect(issues).toEqual([]);
    expect(commands.map((c) => c.words.map((w) => [w.text, w.line]))).toEqual([
      [["docker", 40], ["buildx", 40], ["build", 40], ["-t", 41], ["a b:x", 41], ["-t", 42], ["repo:$(date +%Y)", 42], [".", 42]],
      [["echo", 42], ["done", 42]],
    ]);
  });

  it("keeps heredoc bodies on the command that opened them, never as commands of their own", () => {
    const { commands } = tokenizeShell(`cat <<'EOF' > /etc/app.conf\nuser root\nfrom x import y\nEOF\nsh <<-END\n\tapt-get install -y gcc\n\tEND\necho after`);
    expect(commands.map((c) => c.words.map((w) => w.text))).toEqual([["cat"], ["sh"], ["echo", "after"]]);
    expect(commands[0]!.heredocs).toEqual(["user root\nfrom x import y"]);
    expect(commands[1]!.heredocs).toEqual(["apt-get install -y gcc"]);
  });

  it("reports what it cannot close, with the line it opened on", () => {
    expect(tokenizeShell(`echo "open\nstill`, 7).issues).toEqual([{ line: 7, message: 'unterminated double quote (") - the code block ends before it is closed' }]);
    expect(tokenizeShell("echo $(date", 3).issues[0]).toMatchObject({ line: 3, message: expect.stringMatching(/unterminated \$\(/) });
  });

  it("knows one set of words that stand before a program", () => {
    expect(withoutPrefixes(["if", "false"])).toEqual(["false"]);
    expect(withoutPrefixes(["elif", "A=1", "sudo", "env", "docker", "buildx"])).toEqual(["docker", "buildx"]);
    expect(texts("if false; then :; elif docker buildx build .; fi").map(withoutPrefixes)).toEqual([["false"], [":"], ["docker", "buildx", "build", "."], []]);
    expect(substitutionsIn("x$(a $(b) c)y`d`")).toEqual(["a $(b) c", "d"]);
  });
});

describe("both readers agree", () => {
  const script = "if false; then :; elif docker buildx build --platform linux/arm64 -t pickme/lucid-x:latest -f x/Dockerfile --push x; fi";

  it("finds a build command after elif in a plan, and a program after elif in a RUN", () => {
    const plan = parsePlan(`# Plan\n\n## PHASE 1: BASE (1 image)\n\n### 1. X\n\n\`\`\`bash\n${script}\n\`\`\`\n`);
    expect(plan.phases[0]!.images.map((i) => i.repository)).toEqual(["pickme/lucid-x"]);
    expect(shellCommands(script)).toContainEqual(["docker", "buildx", "build", "--platform", "linux/arm64", "-t", "pickme/lucid-x:latest", "-f", "x/Dockerfile", "--push", "x"]);
    expect(shellCommands("echo $(apt-get install -y gcc)")).toContainEqual(["apt-get", "install", "-y", "gcc"]);
  });
});
