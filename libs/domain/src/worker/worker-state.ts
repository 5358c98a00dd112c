import type { ActivityRef, WorkerChannelData, WorkerEvent } from './worker-events';
import { ownEntry } from '../shared/own-entry';

export interface WorkerReservationHold { readonly taskSid: string; readonly channel: string; readonly accepted: boolean }

export interface WorkerState {
  readonly exists: boolean;
  readonly workspaceSid: string;
  readonly workerSid: string;
  readonly friendlyName: string;
  readonly attributes: Record<string, unknown>;
  readonly activity: ActivityRef;
  readonly activityChangedAt: string;
  readonly channels: Readonly<Record<string, WorkerChannelData>>;
  /** Reservations that hold capacity: pending, accepted or wrapping. */
  readonly reservations: Readonly<Record<string, WorkerReservationHold>>;
  /** When the worker last had no task (or became available): longest idle is offered first. */
  readonly idleSince: string;
}

export const initialWorkerState: WorkerState = {
  exists: false, workspaceSid: '', workerSid: '', friendlyName: '', attributes: {},
  activity: { sid: '', name: '', available: false }, activityChangedAt: '', channels: {}, reservations: {}, idleSince: '',
};

export function evolveWorker(state: WorkerState, event: WorkerEvent): WorkerState {
  switch (event.type) {
    case 'WorkerCreated': {
      const { workspaceSid, workerSid, friendlyName, attributes, activity, channels, at } = event.data;
      return {
        ...state, exists: true, workspaceSid, workerSid, friendlyName, attributes, activity, activityChangedAt: at, idleSince: at,
        channels: Object.fromEntries(channels.map((channel) => [channel.uniqueName, channel])),
      };
    }
    case 'WorkerActivityChanged': {
      const { activity, at } = event.data;
      const becameAvailable = activity.available && !state.activity.available;
      return { ...state, activity, activityChangedAt: at, idleSince: becameAvailable ? at : state.idleSince };
    }
    case 'WorkerUpdated':
      return { ...state, friendlyName: event.data.friendlyName ?? state.friendlyName, attributes: event.data.attributes ?? state.attributes };
    case 'WorkerChannelAdded':
      return { ...state, channels: { ...state.channels, [event.data.channel.uniqueName]: event.data.channel } };
    case 'WorkerChannelUpdated': {
      const { uniqueName, capacity, available } = event.data;
      const channel = ownEntry(state.channels, uniqueName);
      if (!channel) return state;
      return { ...state, channels: { ...state.channels, [uniqueName]: { ...channel, capacity: capacity ?? channel.capacity, available: available ?? channel.available } } };
    }
    case 'WorkerReserved': {
      const { reservationSid, taskSid, channel } = event.data;
      return { ...state, reservations: { ...state.reservations, [reservationSid]: { taskSid, channel, accepted: false } } };
    }
    case 'WorkerReservationAccepted': {
      const hold = ownEntry(state.reservations, event.data.reservationSid);
      if (!hold) return state;
      return { ...state, reservations: { ...state.reservations, [event.data.reservationSid]: { ...hold, accepted: true } } };
    }
    case 'WorkerReservationEnded': {
      const { [event.data.reservationSid]: _ended, ...rest } = state.reservations;
      return { ...state, reservations: rest, idleSince: Object.keys(rest).length === 0 ? event.data.at : state.idleSince };
    }
    case 'WorkerDeleted':
      return { ...state, exists: false };
  }
}

/** Reservations holding capacity on one channel (pending, accepted or wrapping). */
export function reservationsOnChannel(state: WorkerState, channel: string): number {
  return Object.values(state.reservations).filter((hold) => hold.channel === channel).length;
}

/** Tasks assigned on a channel: accepted reservations (WorkerChannel `assigned_tasks`). */
export function assignedOnChannel(state: WorkerState, channel: string): number {
  return Object.values(state.reservations).filter((hold) => hold.channel === channel && hold.accepted).length;
}
