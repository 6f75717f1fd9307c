#!/usr/bin/env node
// Differential runner for server-side JavaScript (issue 6).
//
//   node run-node.js amplitude <scenario.js>   -> JSON list of Amplitude event bodies
//   node run-node.js mixpanel <migrated.js>    -> JSON list of {endpoint, data} Mixpanel requests
//
// Capture uses each SDK's own extension point (spec §1.3, §2.2, §6), never a fake SDK:
// Amplitude: the built-in destination plugin 'amplitude' is removed and a destination plugin
// that keeps each event is added (both before the scenario's init, which replays them).
// Mixpanel: `Mixpanel.init` is wrapped so every client it returns has `send_request` replaced by
// a recorder; everything above it (property building, people/groups helpers) is the library's.
// Both SDKs resolve through NODE_PATH to this folder's pinned node_modules, so the scenario's
// `require` returns the very module objects configured here.
'use strict';

const path = require('path');

Error.stackTraceLimit = 200; // deep SDK call chains must still reach the scenario's frame
let scenarioFile = '';

// The line of the scenario that made the current (synchronous) Mixpanel request.
function scenarioLine() {
  for (const frame of new Error().stack.split('\n')) {
    const at = frame.lastIndexOf(`${scenarioFile}:`);
    if (scenarioFile && at >= 0) return Number(frame.slice(at + scenarioFile.length + 1).split(':')[0]);
  }
  return 0;
}

async function settle() {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function runAmplitude(file) {
  const amplitude = require('@amplitude/analytics-node');
  const captured = [];
  const capture = {
    name: 'differential-capture',
    type: 'destination',
    setup: async () => undefined,
    execute: async (event) => {
      captured.push(JSON.parse(JSON.stringify(event)));
      return { event, code: 200, message: 'ok' };
    },
  };
  // The spec §1.3 order: init, then remove('amplitude'), then add(capture). Events the scenario
  // dispatches meanwhile wait in the client's dispatch queue and reach the timeline through a
  // timer, after this chain of promises has swapped the destination.
  const hook = (instance) => {
    const init = instance.init;
    Object.defineProperty(instance, 'init', {
      configurable: true,
      writable: true,
      value: function initAndCapture(...args) {
        const promise = init.apply(this, args).promise
          .then(() => instance.remove('amplitude').promise)
          .then(() => instance.add(capture).promise);
        instances.push(instance);
        return { promise };
      },
    });
    return instance;
  };
  const instances = [];
  hook(amplitude);
  const createInstance = amplitude.createInstance;
  Object.defineProperty(amplitude, 'createInstance', {
    configurable: true,
    enumerable: true,
    value: (...args) => hook(createInstance(...args)),
  });
  // The legacy Node SDK (@amplitude/node 1.x): every client's default transport is replaced
  // by a retry handler that keeps the events it would send (legacy-sdks §9's `retryClass`),
  // so no socket is opened. `init` is a read-only export; the client class is not.
  const { NodeClient } = require('@amplitude/node');
  const legacyClients = [];
  NodeClient.prototype._setupDefaultTransport = function keepEvents() {
    legacyClients.push(this);
    return {
      sendEventsWithRetry: async (events) => {
        captured.push(...JSON.parse(JSON.stringify(events)));
        return { status: 'success', statusCode: 200 };
      },
    };
  };
  // The community `amplitude` package posts to its token endpoint (legacy-sdks §9): a local
  // server answers as Amplitude does and keeps the events, and each identification becomes
  // the $identify event Amplitude's Identify API makes of it (plain keys are set).
  const server = await communityServer(captured);
  process.env.AMPLITUDE_TOKEN_ENDPOINT = `http://127.0.0.1:${server.address().port}`;
  const exported = require(path.resolve(file));
  if (exported && typeof exported.then === 'function') await exported;
  await settle();
  for (const instance of instances) await instance.flush().promise;
  for (const client of legacyClients) await client.flush();
  await settle();
  server.close();
  return captured;
}

function communityServer(captured) {
  const http = require('http');
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      if (request.url === '/identify') {
        const identification = JSON.parse(new URLSearchParams(body).get('identification'));
        for (const item of [].concat(identification)) {
          const properties = item.user_properties || {};
          const operators = Object.keys(properties).some((key) => key.startsWith('$'));
          captured.push({ ...item, event_type: '$identify',
                          user_properties: operators ? properties : { $set: properties } });
        }
        response.end('success');
        return;
      }
      const { events } = JSON.parse(body);
      captured.push(...events);
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ code: 200, events_ingested: events.length,
                                    payload_size_bytes: 1, server_upload_time: 1 }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function runMixpanel(file) {
  const Mixpanel = require('mixpanel');
  const sent = [];
  const init = Mixpanel.init;
  Mixpanel.init = function initAndCapture(...args) {
    const client = init.apply(this, args);
    client.send_request = (options, callback) => {
      sent.push({
        endpoint: options.endpoint, data: JSON.parse(JSON.stringify(options.data)), line: scenarioLine(),
      });
      if (callback) callback(undefined);
    };
    return client;
  };
  scenarioFile = path.resolve(file);
  const exported = require(scenarioFile);
  if (exported && typeof exported.then === 'function') await exported;
  await settle();
  return sent;
}

async function main() {
  const [mode, file] = process.argv.slice(2);
  const run = { amplitude: runAmplitude, mixpanel: runMixpanel }[mode];
  if (!run) throw new Error(`unknown mode ${mode}`);
  const captured = await run(file);
  process.stdout.write(`${JSON.stringify(captured)}\n`);
  process.exit(0); // the Amplitude client keeps timers alive
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
