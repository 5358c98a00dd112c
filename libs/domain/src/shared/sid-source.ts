/** Creates new SIDs; passed into decisions so that they stay pure and replayable. */
export type SidSource = (prefix: string) => string;
