#!/usr/bin/env node
// Differential runner for browser SDKs under jsdom (issue 6).
//
//   node run-browser.js amplitude <scenario.js>  -> {"events": [...Amplitude event bodies]}
//   node run-browser.js mixpanel <migrated.js>   -> {"requests": [{url, body, line}]}
//
// The page is a jsdom window whose globals are installed on Node's global object. Nothing is
// sent anywhere: XMLHttpRequest is a recorder class (it has `withCredentials`, so
// mixpanel-browser keeps its XHR transport, spec §6) and `fetch`/`sendBeacon` record too.
// Capture points are the SDKs' own:
// * @amplitude/analytics-browser: after the scenario's init, remove('amplitude') and add a
//   destination plugin that keeps each event (spec §1.3, same core as Node).
// * amplitude-js 8: its uploads to api.amplitude.com are read off the recorder (`e=` field).
// * mixpanel-browser: its requests to /track, /engage, /groups are read off the recorder. Its
//   init is given `batch_requests: false` so each call sends at once (in the caller's stack, so
//   the scenario line is known); that option only changes when requests leave, not their data.
'use strict';

const path = require('path');
const { JSDOM } = require('jsdom');

const dom = new JSDOM('<!doctype html><html><head><title>Shop</title></head><body></body></html>', {
  url: 'https://shop.example/cart',
});
for (const key of ['window', 'document', 'navigator', 'screen', 'localStorage', 'sessionStorage', 'location',
  'history']) {
  Object.defineProperty(globalThis, key, { value: dom.window[key], configurable: true, writable: true });
}
for (const key of ['addEventListener', 'removeEventListener', 'dispatchEvent']) {
  globalThis[key] = dom.window[key].bind(dom.window);
}

const requests = [];
Error.stackTraceLimit = 200; // deep SDK call chains must still reach the scenario's frame
let scenarioFile = '';

function scenarioLine() {
  const stack = new Error().stack.split('\n');
  for (const frame of stack) {
    const at = frame.lastIndexOf(scenarioFile + ':');
    if (scenarioFile && at >= 0) return Number(frame.slice(at + scenarioFile.length + 1).split(':')[0]);
  }
  return 0;
}

class RecordingXHR {
  constructor() {
    this.withCredentials = false;
    this.readyState = 0;
    this.status = 0;
    this.responseText = '';
    this.headers = {};
  }

  open(method, url) { this.method = method; this.url = url; }

  setRequestHeader(name, value) { this.headers[name] = value; }

  getAllResponseHeaders() { return ''; }

  getResponseHeader() { return null; }

  send(body) {
    requests.push({ url: String(this.url), body: body == null ? null : String(body), line: scenarioLine() });
    this.readyState = 4;
    this.status = 200;
    this.responseText = String(this.url).includes('amplitude.com') ? 'success' : '1';
    setTimeout(() => {
      if (this.onreadystatechange) this.onreadystatechange();
      if (this.onload) this.onload();
    }, 0);
  }
}
globalThis.XMLHttpRequest = RecordingXHR;
dom.window.XMLHttpRequest = RecordingXHR;
globalThis.fetch = async (url, init) => {
  requests.push({ url: String(url), body: init && init.body != null ? String(init.body) : null, line: scenarioLine() });
  return { ok: true, status: 200, json: async () => ({ code: 200 }), text: async () => '{}', headers: new Map() };
};
dom.window.navigator.sendBeacon = (url, body) => {
  requests.push({ url: String(url), body: body == null ? null : String(body), line: scenarioLine() });
  return true;
};

async function settle() {
  for (let i = 0; i < 10; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function runAmplitude(file) {
  const browser = require('@amplitude/analytics-browser');
  const events = [];
  const capture = {
    name: 'differential-capture',
    type: 'destination',
    setup: async () => undefined,
    execute: async (event) => {
      events.push(JSON.parse(JSON.stringify(event)));
      return { event, code: 200, message: 'ok' };
    },
  };
  const hook = (instance) => {
    const init = instance.init;
    Object.defineProperty(instance, 'init', {
      configurable: true,
      writable: true,
      value: function initAndCapture(...args) {
        const promise = init.apply(this, args).promise
          .then(() => instance.remove('amplitude').promise)
          .then(() => instance.add(capture).promise);
        return { promise };
      },
    });
    return instance;
  };
  hook(browser);
  const createInstance = browser.createInstance;
  Object.defineProperty(browser, 'createInstance', {
    configurable: true, enumerable: true, value: (...args) => hook(createInstance(...args)),
  });
  scenarioFile = path.resolve(file);
  const exported = require(scenarioFile);
  if (exported && typeof exported.then === 'function') await exported;
  await settle();
  return { events, requests: requests.filter((r) => r.url.includes('amplitude.com') && r.body) };
}

async function runMixpanel(file) {
  const mixpanel = require('mixpanel-browser');
  const init = mixpanel.init;
  mixpanel.init = function initWithoutBatching(token, config, name) {
    return init.call(this, token, { ...(config || {}), batch_requests: false }, name);
  };
  scenarioFile = path.resolve(file);
  const exported = require(scenarioFile);
  if (exported && typeof exported.then === 'function') await exported;
  await settle();
  return { requests: requests.filter((r) => r.url.includes('mixpanel.com')) };
}

async function main() {
  const [mode, file] = process.argv.slice(2);
  const run = { amplitude: runAmplitude, mixpanel: runMixpanel }[mode];
  if (!run) throw new Error(`unknown mode ${mode}`);
  const captured = await run(file);
  process.stdout.write(`${JSON.stringify(captured)}\n`);
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
