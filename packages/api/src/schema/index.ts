export * from './builders.ts';
export * from './types.ts';
export * from './strip.ts';
