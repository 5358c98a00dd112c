import { UsageError, parseDeadLetterArguments } from './arguments';

describe('parseDeadLetterArguments', () => {
  it('lists everything, or one group, letter or stream', () => {
    expect(parseDeadLetterArguments(['list'])).toEqual({ command: 'list', filter: { consumer: undefined, id: undefined, stream: undefined } });
    expect(parseDeadLetterArguments(['list', '--group', 'tr.workflow-evaluator', '--stream', 'task:WT1'])).toEqual({
      command: 'list', filter: { consumer: 'tr.workflow-evaluator', id: undefined, stream: 'task:WT1' },
    });
    expect(parseDeadLetterArguments(['list', '--id', '12'])).toMatchObject({ filter: { id: '12' } });
  });

  it('retries and drops exactly one selection', () => {
    expect(parseDeadLetterArguments(['retry', '--id', '7', '--wait'])).toEqual({ command: 'retry', selection: { id: '7', consumer: undefined }, wait: true });
    expect(parseDeadLetterArguments(['retry', '--all', '--group', 'g'])).toEqual({ command: 'retry', selection: { all: true, consumer: 'g' }, wait: false });
    expect(parseDeadLetterArguments(['drop', '--stream', 'worker:WK1'])).toEqual({ command: 'drop', selection: { stream: 'worker:WK1', consumer: undefined } });
  });

  it.each([
    [[], 'a command is required'],
    [['purge'], "unknown command 'purge'"],
    [['retry'], 'retry needs exactly one of --id, --stream and --all'],
    [['drop', '--id', '1', '--all'], 'drop needs exactly one of --id, --stream and --all'],
    [['drop', '--id', 'x'], "--id must be a dead letter's number, got 'x'"],
    [['drop', '--id', '0'], "--id must be a dead letter's number, got '0'"],
    [['list', '--stream'], '--stream needs a value'],
    [['list', '--group', '--all'], '--group needs a value'],
    [['list', '--all'], 'list takes no --all (it lists everything without --id or --stream)'],
    [['list', '--id', '1', '--stream', 's'], 'give at most one of --id and --stream'],
    [['drop', '--all', '--wait'], '--wait goes with retry only'],
    [['list', '--verbose'], "unknown option '--verbose'"],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseDeadLetterArguments(argv)).toThrow(new UsageError(message));
  });
});
