// Outside the Azure Functions host, @azure/functions looks for the worker module '@azure/functions-core' and,
// missing it, prints a warning per registration. This preload provides that module so that `app.http(...)` and
// friends are recorded instead; the local runner and the registration tests read what was recorded.
const Module = require('node:module');

const registrations = [];
const stub = {
  registrations,
  setProgrammingModel() {},
  getProgrammingModel() {
    return undefined;
  },
  registerHook() {
    return { dispose() {} };
  },
  registerFunction(metadata, callback) {
    registrations.push({ metadata, callback });
    return { dispose() {} };
  },
};
globalThis.__azureFunctionsRegistrations = registrations;

const stubId = '@azure/functions-core';
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolve(request, ...rest) {
  if (request === stubId) return stubId;
  return originalResolve.call(this, request, ...rest);
};
require.cache[stubId] = { id: stubId, filename: stubId, loaded: true, exports: stub };
