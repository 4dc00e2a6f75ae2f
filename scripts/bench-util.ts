/**
 * Shared pieces of the benchmark scripts (`npm run bench:*`): percentiles and a printed table. Benchmarks compare
 * side by side in one run and report figures; they never assert wall-clock times in tests.
 */

/** The nearest-rank percentile of `samples`. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** One row of a benchmark table. */
export interface BenchRow {
  what: string;
  n: number;
  stat: string;
  value: number;
  unit: string;
  /** The target, when there is one; `lowerIsBetter` decides the comparison. */
  target?: number;
  lowerIsBetter?: boolean;
}

/** Prints rows as an aligned table; returns false when a row misses its target. */
export function printTable(title: string, rows: BenchRow[]): boolean {
  const cells = rows.map((row) => {
    const ok =
      row.target === undefined ? '' : (row.lowerIsBetter ?? true) ? row.value <= row.target : row.value >= row.target;
    return [
      row.what,
      String(row.n),
      row.stat,
      `${row.value.toFixed(row.value < 10 ? 2 : 1)} ${row.unit}`,
      row.target === undefined ? '' : `${(row.lowerIsBetter ?? true) ? '≤' : '≥'} ${row.target} ${row.unit}`,
      ok === '' ? '' : ok ? 'ok' : 'MISSED',
    ];
  });
  const header = ['measurement', 'n', 'stat', 'value', 'target', ''];
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((row) => row[column]!.length)));
  const line = (values: string[]): string => values.map((value, column) => value.padEnd(widths[column]!)).join('  ');
  process.stdout.write(`\n${title}\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
  for (const row of cells) process.stdout.write(`${line(row)}\n`);
  return cells.every((row) => row[5] !== 'MISSED');
}
