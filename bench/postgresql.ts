// The same pages on PostgreSQL: the SQLite bench database (70,000 builds and the health history, as measured just
// before) copied with `lucid db copy`'s code into a throwaway PostgreSQL server on 127.0.0.1, then served from it.
import { copySqliteToPostgres } from "@/lib/db/copy";
import { startPostgres } from "@/lib/db/postgres-server";
import { startServer, staticFilePath } from "./server";
import { benchLogMirror, type LogMirrorFigures } from "./log-mirror";
import { summarize, timeRequests, type Summary } from "./stats";

export async function benchPostgres(
  port: number,
  sqliteFile: string,
  paths: string[],
  requests: number,
  warmup: number,
  logLines: number,
): Promise<{ copy: { rows: number; ms: number }; pages: Record<string, Summary>; log: LogMirrorFigures }> {
  const postgres = await startPostgres();
  try {
    const url = await postgres.createDatabase("lucid_bench");
    const copied = await copySqliteToPostgres(sqliteFile, url);
    const server = await startServer(port, "", { DATABASE_URL: url });
    try {
      const pages: Record<string, Summary> = {};
      for (const path of [await staticFilePath(server), ...paths]) {
        pages[`GET ${path}`] = summarize(await timeRequests(`${server.baseUrl}${path}`, requests, warmup, { cookie: server.cookie }));
      }
      return { copy: { rows: copied.rows, ms: copied.ms }, pages, log: await benchLogMirror(url, logLines) };
    } finally {
      await server.stop();
    }
  } finally {
    await postgres.stop();
  }
}
