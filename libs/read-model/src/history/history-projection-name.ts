/** The history's checkpoint and lease name: one history per schema, whichever process projects it. */
export const HISTORY_PROJECTION_NAME = 'history-projection';
