/** Per-platform compressed sizes as a map, leaving out platforms whose size was not reported. */
export function sizesByPlatform(rows: readonly { platform: string; compressedBytes: number | null }[]): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const row of rows) if (row.compressedBytes !== null) sizes[row.platform] = row.compressedBytes;
  return sizes;
}
