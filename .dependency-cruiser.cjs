// The layers, enforced in `npm test` (`npm run lint:deps`): app → components → lib read models and commands →
// lib domains → lib/db. See "Layout" in README.md.
// Tests may reach across layers (a plan import checked through the overview); they may not form cycles.
const TESTS = "\\.test\\.tsx?$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "Modules must not import each other in a circle.", from: {}, to: { circular: true } },
    {
      name: "builds-below-compliance-and-health",
      severity: "error",
      comment: "Builds are what compliance and health read; builds never import them.",
      from: { path: "^lib/builds/", pathNot: TESTS },
      to: { path: "^lib/(compliance|health)/" },
    },
    {
      name: "registry-is-a-leaf",
      severity: "error",
      comment: "The OCI registry client knows the distribution API, not the plan or the builds.",
      from: { path: "^lib/registry/" },
      to: { path: "^lib/(?!registry/)" },
    },
    {
      name: "lib-not-app-or-components",
      severity: "error",
      comment: "lib/ is below the UI: it never imports app/ or components/.",
      from: { path: "^lib/" },
      to: { path: "^(app|components)/" },
    },
    {
      name: "components-not-app",
      severity: "error",
      comment: "Components are used by pages; they never import pages or route modules.",
      from: { path: "^components/" },
      to: { path: "^app/" },
    },
    {
      name: "components-not-database",
      severity: "error",
      comment: "Components get data from pages, read models and actions, never from the database client.",
      from: { path: "^components/" },
      to: { path: "^lib/(db/client|generated/)" },
    },
    {
      name: "compliance-health-not-runner",
      severity: "error",
      comment: "Compliance and health judge what was built and deployed; they never reach into the build runner.",
      from: { path: "^lib/(compliance|health)/" },
      to: { path: "^lib/builds/" },
    },
    {
      name: "plan-is-below-builds",
      severity: "error",
      comment: "The plan is the base domain: it never imports builds, registry results, compliance, health or read models.",
      from: { path: "^lib/plan/", pathNot: TESTS },
      to: { path: "^lib/(builds|compliance|health|deploy|views|commands|actions|cli)/" },
    },
    {
      name: "domains-not-read-models",
      severity: "error",
      comment: "Domains do not import the read models, commands or actions built on them.",
      from: { path: "^lib/(db|plan|builds|registry|compliance|health|deploy|shell|checkout|audit|tokens|security|supply-chain|vulnerabilities|notifications)/", pathNot: TESTS },
      to: { path: "^lib/(views|commands|actions|api|cli)/" },
    },
    {
      name: "db-is-the-bottom",
      severity: "error",
      comment: "lib/db knows nothing of the domains above it.",
      from: { path: "^lib/db/" },
      to: { path: "^lib/(?!db/|generated/)" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|\\.next|lib/generated)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs"] },
  },
};
