export * from './workflow/workflow-definition';
export * from './workflow/workflow-configuration-error';
export * from './workflow/parse-workflow-configuration';
export * from './workflow/route-task';
export * from './worker-ordering/order-by';
