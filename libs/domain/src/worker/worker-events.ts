import type { DomainEvent } from '../shared/domain-event';

export interface ActivityRef { readonly sid: string; readonly name: string; readonly available: boolean }
export interface WorkerChannelData {
  readonly workerChannelSid: string;
  readonly taskChannelSid: string;
  readonly uniqueName: string;
  readonly capacity: number;
  readonly available: boolean;
}

export type WorkerCreated = DomainEvent<'WorkerCreated', {
  workspaceSid: string; workerSid: string; friendlyName: string; attributes: Record<string, unknown>;
  activity: ActivityRef; channels: WorkerChannelData[]; at: string;
}>;
export type WorkerActivityChanged = DomainEvent<'WorkerActivityChanged', {
  workspaceSid: string; workerSid: string; activity: ActivityRef; previousActivity: ActivityRef;
  /** Why it moved: an API call, or TaskRouter itself (a reservation timed out). */
  cause: 'api' | 'reservation-timeout' | 'reservation-rejected'; at: string;
}>;
export type WorkerUpdated = DomainEvent<'WorkerUpdated', { workspaceSid: string; workerSid: string; friendlyName?: string; attributes?: Record<string, unknown>; at: string }>;
export type WorkerChannelUpdated = DomainEvent<'WorkerChannelUpdated', { workspaceSid: string; workerSid: string; uniqueName: string; capacity?: number; available?: boolean; at: string }>;
export type WorkerChannelAdded = DomainEvent<'WorkerChannelAdded', { workspaceSid: string; workerSid: string; channel: WorkerChannelData; at: string }>;
export type WorkerReserved = DomainEvent<'WorkerReserved', { workspaceSid: string; workerSid: string; reservationSid: string; taskSid: string; channel: string; at: string }>;
export type WorkerReservationAccepted = DomainEvent<'WorkerReservationAccepted', { workspaceSid: string; workerSid: string; reservationSid: string; at: string }>;
export type WorkerReservationEnded = DomainEvent<'WorkerReservationEnded', {
  workspaceSid: string; workerSid: string; reservationSid: string; channel: string;
  outcome: 'completed' | 'rejected' | 'timeout' | 'canceled' | 'rescinded'; at: string;
}>;
export type WorkerDeleted = DomainEvent<'WorkerDeleted', { workspaceSid: string; workerSid: string; at: string }>;

export type WorkerEvent =
  | WorkerCreated | WorkerActivityChanged | WorkerUpdated | WorkerChannelUpdated | WorkerChannelAdded
  | WorkerReserved | WorkerReservationAccepted | WorkerReservationEnded | WorkerDeleted;
