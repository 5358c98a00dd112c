import { CliUsageError, parseCliArguments, runExpressionCli } from './cli';

describe('expr CLI', () => {
  describe('parseCliArguments', () => {
    it('reads the expression and JSON options, in either --name value or --name=value form', () => {
      const args = parseCliArguments(['a == 1', '--task', '{"a":1}', '--worker={"sid":"WK1"}', '--context', '{"workers":{"available":2}}']);
      expect(args).toMatchObject({ expression: 'a == 1', task: { a: 1 }, worker: { sid: 'WK1' }, context: { workers: { available: 2 } }, bareKeys: 'worker', help: false });
    });

    it('defaults bare keys to task without --worker, and lets --scope decide', () => {
      expect(parseCliArguments(['a == 1', '--task', '{}']).bareKeys).toBe('task');
      expect(parseCliArguments(['a == 1', '--worker', '{}', '--scope', 'task']).bareKeys).toBe('task');
    });

    it('takes everything after -- as positional, so an expression may start with --', () => {
      expect(parseCliArguments(['--', '--x']).expression).toBe('--x');
    });

    it('reads --at and --zone, the zone as minutes when numeric', () => {
      const args = parseCliArguments(['1==1', '--at', '2024-03-15T09:00:00Z', '--zone', '-60']);
      expect(args.at?.toISOString()).toBe('2024-03-15T09:00:00.000Z');
      expect(args.zone).toBe(-60);
    });

    it.each([
      [[], 'give the expression'],
      [['a', 'b'], 'exactly one expression'],
      [['a', '--task'], '--task needs a value'],
      [['a', '--task', '{'], '--task is not valid JSON'],
      [['a', '--task', '[1]'], '--task must be a JSON object'],
      [['a', '--bogus', '1'], 'unknown option --bogus'],
      [['a', '--task', '{}', '--task', '{}'], 'given twice'],
      [['a', '--context', '{"other":{}}'], 'only "taskrouter" and "workers"'],
      [['a', '--context', '{"workers":3}'], 'must be a JSON object'],
      [['a', '--scope', 'queue'], '--scope must be task or worker'],
      [['a', '--at', 'yesterday'], '--at is not a date'],
    ])('refuses %j (%s)', (argv, words) => {
      expect(() => parseCliArguments(argv)).toThrow(CliUsageError);
      expect(() => parseCliArguments(argv)).toThrow(words);
    });
  });

  describe('runExpressionCli', () => {
    it('prints true or false with exit code 0', () => {
      expect(runExpressionCli(['skills HAS "support"', '--worker', '{"skills":["support"]}'])).toEqual({ exitCode: 0, stdout: 'true\n', stderr: '' });
      expect(runExpressionCli(["type == 'lead'", '--task', '{"type":"ticket"}'])).toEqual({ exitCode: 0, stdout: 'false\n', stderr: '' });
    });

    it('evaluates target expressions with task, worker fields and channels', () => {
      const worker = '{"sid":"WK1","activity_name":"Idle","channel":{"chat":{"assigned_tasks":1}},"languages":["fr"]}';
      const run = (expression: string) => runExpressionCli([expression, '--task', '{"lang":"fr","agent":"WK1"}', '--worker', worker]).stdout;
      expect(run('task.lang IN worker.languages AND task.agent = worker.sid')).toBe('true\n');
      expect(run("worker.activity_name == 'Idle' AND worker.channel.chat.assigned_tasks <= 1")).toBe('true\n');
    });

    it('supplies taskrouter.* and workers.* from --context and --at', () => {
      expect(runExpressionCli(['workers.available == 0', '--context', '{"workers":{"available":0}}']).stdout).toBe('true\n');
      expect(runExpressionCli(["taskrouter.dayOfWeek = 'Fri' AND taskrouter.currentTime > 0800", '--at', '2024-03-15T09:00:00Z']).stdout).toBe('true\n');
      expect(runExpressionCli(['taskrouter.currentTime == 1000', '--at', '2024-03-15T09:00:00Z', '--zone', 'Europe/Paris']).stdout).toBe('true\n');
      expect(runExpressionCli(['taskrouter.currentTime == 5', '--at', '2024-03-15T09:00:00Z', '--context', '{"taskrouter":{"currentTime":5}}']).stdout).toBe('true\n');
    });

    it('prints error: <message> with exit code 2 for an invalid expression', () => {
      expect(runExpressionCli(['language IN  )'])).toEqual({ exitCode: 2, stdout: '', stderr: "error: expected a value after IN at column 14, found ')'\n" });
    });

    it('prints the usage after a usage error, and for --help', () => {
      const result = runExpressionCli(['a == 1', '--task', 'nope']);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/^error: --task is not valid JSON/);
      expect(result.stderr).toContain('usage:');
      expect(runExpressionCli(['--help'])).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('usage:') });
    });
  });
});
