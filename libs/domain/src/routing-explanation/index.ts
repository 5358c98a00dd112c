export * from './reservation-choice';
export * from './considered-workers';
export * from './choice-words';
export * from './explain-routing';
