// The web view's public API: what `crosstalk web` and `crosstalk up` start (docs/WEB.md).
export { startWebServer, isLoopback, type RunningWebServer, type WebServerOptions } from './server.js';
