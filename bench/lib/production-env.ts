// Imported first by benchmarks that run the app in process: libraries read NODE_ENV when they load
// (graphql-js drops its development-only instanceof checks in production), as `npm start` would run.
process.env.NODE_ENV = 'production';
