// Placeholder until the expression language lands (issue 3).
export {};
