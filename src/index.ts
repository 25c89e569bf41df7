export * from './catalog';
export * from './errors';
export * from './kindo-microsoft-integrations';
export * from './kindo-microsoft-integrations-stack';
export * from './microsoft-integration-app';
export * from './nango-registration';
export * from './review';
