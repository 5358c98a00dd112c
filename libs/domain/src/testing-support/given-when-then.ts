// Given/when/then for deciders: `given(pastEvents).when(command).then(expectedEvents | refused(...))`.
// Test-only code: nothing in `src` outside specs imports this folder.
import { DomainError, type DomainErrorKind } from '../shared/domain-error';

/** One aggregate's pure pair, with everything but the command and the state (workspace, clock) bound. */
export interface Decider<Command, State, Event> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}

/** The expectation that a command is refused with a DomainError of this kind (and parameter, message). */
export interface Refusal {
  readonly refusedAs: DomainErrorKind;
  readonly parameter?: string;
  readonly message?: RegExp;
}

export function refused(kind: DomainErrorKind, details: { parameter?: string; message?: RegExp } = {}): Refusal {
  return { refusedAs: kind, ...details };
}

function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'refusedAs' in value;
}

/** Runs `act` and checks it throws the DomainError the refusal describes; returns the error. */
export function expectRefusal(act: () => unknown, expected: Refusal): DomainError {
  let thrown: unknown;
  try {
    act();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error(`expected a '${expected.refusedAs}' refusal, but the command was accepted`);
  expect(thrown).toBeInstanceOf(DomainError);
  const error = thrown as DomainError;
  expect({ kind: error.kind, parameter: error.parameter }).toEqual({
    kind: expected.refusedAs,
    parameter: expected.parameter ?? error.parameter,
  });
  if (expected.message) expect(error.message).toMatch(expected.message);
  return error;
}

export function fold<State, Event>(evolve: (state: State, event: Event) => State, initial: State, events: readonly Event[]): State {
  return events.reduce(evolve, initial);
}

export function givenWhenThen<Command, State, Event>(decider: Decider<Command, State, Event>) {
  return function given(pastEvents: readonly Event[]) {
    const state = fold(decider.evolve, decider.initialState, pastEvents);
    return {
      state,
      when(command: Command) {
        return {
          /** The events decided, or the refusal expected; returns the events so a test can look further. */
          then(expected: readonly Event[] | Refusal): Event[] {
            if (isRefusal(expected)) {
              expectRefusal(() => decider.decide(command, state), expected);
              return [];
            }
            const decided = decider.decide(command, state);
            expect(decided).toEqual(expected);
            return decided;
          },
          /** Decides, then folds the decided events onto the state: for asserting on the state that results. */
          thenState(): State {
            return fold(decider.evolve, state, decider.decide(command, state));
          },
        };
      },
    };
  };
}
