import {
  coefficientRows,
  DEFAULT_ASSUMPTIONS,
  type AssumptionValues,
} from '../../lambdas/domain/capacity/assumptions.js';

/** The rows as a Markdown table (name, value, unit, status, source). */
export function coefficientTableMarkdown(values: AssumptionValues = DEFAULT_ASSUMPTIONS): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const lines = coefficientRows(values).map(
    (row) =>
      `| \`${row.name}\` | ${row.value.toLocaleString('en-US')} | ${cell(row.unit)} | ${row.status} | ${cell(row.source)} |`,
  );
  return ['| name | value | unit | status | source |', '|---|---|---|---|---|', ...lines].join('\n');
}
