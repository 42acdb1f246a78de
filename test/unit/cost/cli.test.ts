import { describe, expect, it } from 'vitest';
import { COST_USAGE, runCostCli } from '../../../bin/cost-cli.js';

const EXAMPLE = [
  '--viewers',
  '100000',
  '--hours',
  '2',
  '--comments-per-second',
  '50',
  '--poll-seconds',
  '3',
  '--region',
  'ap-northeast-1',
];

function flagsWith(flag: string, value: string): string[] {
  const args = [...EXAMPLE];
  const at = args.indexOf(flag);
  if (at >= 0) args[at + 1] = value;
  else args.push(flag, value);
  return args;
}

describe('runCostCli', () => {
  it('prints this design line by line, the alternatives with the quotas they cross, the break-even and a legend', () => {
    // Act
    const text = runCostCli(EXAMPLE);

    // Assess
    const lines = text.split('\n');
    const header = lines.find((l) => l.trimStart().startsWith('item'));
    expect(header).toMatch(/item\s+quantity\s+unit\s+unit price\s+cost\s+share/);
    const polls = lines.find((l) => l.includes('CloudFront requests (live polls)'));
    expect(polls).toMatch(/240,000,000\s+requests\s+\$0\.012 \/ 10,000\s+\$288\.00\s+5\d\.\d%/);
    // No --response-kb: the measured size at 50 comments/s (ADR 0019).
    expect(lines[0]).toContain('8.11 KB responses (measured size at this rate)');
    // Columns line up: every row of the table ends its share column at the same place.
    const tableRows = lines.slice(
      lines.indexOf(header as string),
      lines.findIndex((l) => l.trimStart().startsWith('total')) + 1,
    );
    expect(new Set(tableRows.map((l) => l.length)).size).toBe(1);
    expect(text).toMatch(
      /every comment pushed over AppSync\s+\$73,8\d\d\.\d\d\*.*AppSync outbound messages: 5,001,667 > 1,000,000/,
    );
    expect(text).toMatch(/IVS Chat\s+\$288,\d{3}\.\d\d\*.*IVS Chat connections: 100,000 > 50,000/);
    expect(text).toContain('Push beats 3-second polling below 0.21 messages/s per room');
    expect(text).toMatch(/^\* rests on a price not verified against AWS for ap-northeast-1/m);
    expect(text).toMatch(/AppSync connects.*: ANCHORS gives one \(US\) price; reused for this region/);
  });

  it('marks unverified prices and leaves verified ones unmarked', () => {
    const lines = runCostCli(EXAMPLE).split('\n');
    expect(lines.find((l) => l.includes('API Gateway REST (posts)'))).toContain('$3.5 / 1,000,000*');
    expect(lines.find((l) => l.includes('CloudFront requests (posts)'))).not.toContain('*');
  });

  it('feeds the event through the capacity plan: provisioned concurrency for the event plus lead and tail', () => {
    const text = runCostCli(EXAMPLE);
    expect(text).toMatch(
      /Capacity from the plan, in force 30 min before to 15 min after: provisioned concurrency postComment \d+/,
    );
    expect(text).toMatch(/Lambda provisioned concurrency .* \$0\.0000041667 \/ GB-s configured\*/);
    expect(text).toContain('AppSync');
  });

  it('prints the machine form with --json', () => {
    // Act
    const json = JSON.parse(runCostCli([...EXAMPLE, '--json'])) as {
      estimate: {
        hybrid: { totalUsd: number; lines: { item: string; verified: boolean; share: number }[] };
        alternatives: { design: string; blocked: boolean; quotas: { crossed: boolean }[] }[];
        breakEven: { messagesPerSecond: number; verified: boolean };
      };
      plan: { leadMinutes: number; peak: { provisionedConcurrency: Record<string, number> } };
    };

    // Assess
    expect(json.estimate.hybrid.lines.find((l) => l.item === 'AppSync connects')?.verified).toBe(false);
    expect(
      json.estimate.hybrid.lines.find((l) => l.item === 'CloudFront requests (live polls)')?.verified,
    ).toBe(true);
    expect(json.estimate.hybrid.lines.reduce((s, l) => s + l.share, 0)).toBeCloseTo(1, 9);
    expect(json.estimate.alternatives.map((d) => [d.design, d.blocked])).toEqual([
      ['all-appsync', true],
      ['apigw-websocket', true],
      ['ivs-chat', true],
    ]);
    expect(json.estimate.breakEven.messagesPerSecond).toBeCloseTo(0.21, 2);
    expect(json.plan.leadMinutes).toBe(30);
    expect(json.plan.peak.provisionedConcurrency.postComment).toBeGreaterThan(0);
  });

  it('leaves the plan out with --no-plan', () => {
    const json = JSON.parse(runCostCli([...EXAMPLE, '--no-plan', '--json'])) as {
      estimate: { hybrid: { lines: { path: string }[] } };
      plan: null;
    };
    expect(json.plan).toBeNull();
    expect(json.estimate.hybrid.lines.some((l) => l.path === 'capacity')).toBe(false);
  });

  it('takes the response size and artist message rate', () => {
    const json = JSON.parse(
      runCostCli([
        ...EXAMPLE,
        '--response-kb',
        '8',
        '--artist-messages-per-minute',
        '2',
        '--no-plan',
        '--json',
      ]),
    ) as { estimate: { hybrid: { lines: { item: string; quantity: number }[] } } };
    const quantity = (item: string) => json.estimate.hybrid.lines.find((l) => l.item === item)?.quantity;
    expect(quantity('CloudFront data out (live polls)')).toBeCloseTo((240_000_000 * 8) / 1024 ** 2, 6);
    expect(quantity('AppSync publish mutations')).toBe(240);
  });

  it('prints the usage with --help', () => {
    expect(runCostCli(['--help'])).toBe(COST_USAGE);
    expect(COST_USAGE).toContain('--comments-per-second');
  });

  it.each([
    ['an unknown flag', [...EXAMPLE, '--viewer-count', '5'], /Unknown option '--viewer-count'/],
    [
      'an unknown region',
      flagsWith('--region', 'eu-west-1'),
      /--region: must be one of us-east-1, ap-northeast-1/,
    ],
    ['a number that is not one', flagsWith('--viewers', 'lots'), /--viewers must be a number \(got "lots"\)/],
    ['an empty number', flagsWith('--hours', ''), /--hours must be a number/],
    [
      'an absurd number',
      [...EXAMPLE.slice(0, 2), '--hours=-2', ...EXAMPLE.slice(4)],
      /--hours: must be above 0/,
    ],
    ['a negative number written as a flag', flagsWith('--hours', '-2'), /'--hours' argument is ambiguous/],
    [
      'a fractional poll interval',
      flagsWith('--poll-seconds', '2.5'),
      /--poll-seconds: must be a whole number/,
    ],
    ['a missing flag', EXAMPLE.slice(2, 4), /Missing --viewers, --comments-per-second, --region/],
    ['a positional argument', [...EXAMPLE, 'extra'], /Unexpected argument 'extra'/],
    [
      'a bad lead time',
      [...EXAMPLE, '--lead-minutes', '1.5'],
      /--lead-minutes must be a whole number of minutes/,
    ],
    [
      'more comments than the plan believes',
      flagsWith('--viewers', '10'),
      /comments per viewer per minute.*--no-plan/,
    ],
  ])('refuses %s with a message for the user', (_case, args, message) => {
    expect(() => runCostCli(args)).toThrow(message);
  });
});
