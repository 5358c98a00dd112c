/**
 * The largest event the log accepts: its data and metadata as JSON, in UTF-8 bytes. A maximal
 * Workflow Configuration (1,038,576 bytes) can double when escaped as a JSON string, so 4 MiB
 * holds every event an accepted request makes, and EVENT_TOPIC_MAX_MESSAGE_BYTES keeps twice
 * that room on the topics for the record's envelope (ids, versions, headers).
 */
export const MAX_EVENT_BYTES = 4 * 1024 * 1024;

/** `max.message.bytes` of every event topic, set explicitly at creation and kept at start. */
export const EVENT_TOPIC_MAX_MESSAGE_BYTES = 2 * MAX_EVENT_BYTES;
