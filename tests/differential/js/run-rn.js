// Runs one React Native scenario in Node (legacy-sdks §9 capture recipes) and prints what it sent.
//
//   node run-rn.js amplitude <scenario.js>   the original code on @amplitude/react-native 2.17.3 /
//                                            expo-analytics-amplitude 11.3.0: their JavaScript
//                                            layers run for real over a recording native module,
//                                            whose calls are printed ([module, method, ...args])
//   node run-rn.js mixpanel <scenario.js>    the migrated code on mixpanel-react-native 3.8.0 in
//                                            its JavaScript mode (no native module): every request
//                                            it posts is printed ({url, data})
//
// The packages are ES modules written for Metro, so each is bundled once with esbuild into
// CommonJS with `react-native` / `expo-modules-core` aliased to the stub below, and the
// scenario's require() of the package resolves to that bundle.
"use strict";

const esbuild = require("esbuild");
const fs = require("fs");
const Module = require("module");
const os = require("os");
const path = require("path");

const [mode, file] = process.argv.slice(2);
const work = fs.mkdtempSync(path.join(os.tmpdir(), "amp2mp-rn-"));
const bridge = [];
globalThis.__amp2mpBridge = bridge;

// `react-native` and `expo-modules-core` as the SDKs use them: the native modules record each
// call and resolve true (the legacy SDK's bridge answers booleans); Mixpanel's is absent, so
// mixpanel-react-native takes its JavaScript mode (ID027).
const STUB = `
function recorder(name) {
  return new Proxy({}, {
    get(_, method) {
      if (method === "then") return undefined;
      return (...args) => { globalThis.__amp2mpBridge.push([name, method, ...args]); return Promise.resolve(true); };
    },
  });
}
exports.NativeModules = { AmplitudeReactNative: recorder("AmplitudeReactNative") };
exports.NativeModulesProxy = { ExpoAmplitude: recorder("ExpoAmplitude") };
exports.Platform = { OS: "ios", Version: "17.0", constants: {}, select: (o) => o.ios ?? o.default };
exports.NativeEventEmitter = class { addListener() { return { remove() {} }; } removeAllListeners() {} };
exports.UnavailabilityError = class extends Error {};
`;
const stub = path.join(work, "native-stub.js");
fs.writeFileSync(stub, STUB);

const PACKAGES = mode === "amplitude"
  ? ["@amplitude/react-native", "expo-analytics-amplitude"]
  : ["mixpanel-react-native"];
const bundles = {};
for (const name of PACKAGES) {
  const outfile = path.join(work, `${name.replace(/[@/]/g, "_")}.js`);
  esbuild.buildSync({
    entryPoints: [require.resolve(name)],
    bundle: true,
    platform: "node",
    format: "cjs",
    outfile,
    alias: { "react-native": stub, "expo-modules-core": stub },
    // Optional peer: without it mixpanel-react-native keeps its state in memory (ID027).
    external: ["@react-native-async-storage/async-storage"],
    logLevel: "silent",
  });
  bundles[name] = outfile;
}
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return bundles[request] || resolve.call(this, request, ...rest);
};

const sent = [];
const instances = [];
if (mode === "mixpanel") {
  globalThis.fetch = async (url, options) => {
    const body = options && options.body ? decodeURIComponent(options.body.slice("data=".length)) : "null";
    sent.push({ url: String(url), data: JSON.parse(body) });
    return { status: 200, ok: true, json: async () => 1, text: async () => "1" };
  };
  const { Mixpanel } = require("mixpanel-react-native");
  const init = Mixpanel.prototype.init;
  Mixpanel.prototype.init = function (...args) {
    instances.push(this);
    return init.apply(this, args);
  };
}
// Both SDKs log their mode and storage fallbacks; the runner's stdout carries the capture only.
console.log = console.warn = console.error = console.info = () => {};

async function main() {
  await require(path.resolve(file));
  // A flush the scenario started finishes first: two flushes at once post one batch twice.
  await new Promise((done) => setTimeout(done, 300));
  for (const instance of instances) instance.flush();
  await new Promise((done) => setTimeout(done, 300));
  process.stdout.write(JSON.stringify(mode === "amplitude" ? bridge : sent) + "\n");
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(0);  // JavaScript mode keeps a flush timer
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\n");
  process.exit(1);
});
