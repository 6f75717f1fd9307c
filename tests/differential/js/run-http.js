// Runs one scenario module's `run()` with every stand-in host answered by the local HTTPS
// server of tests/differential/httpwire.py: names resolve to 127.0.0.1 and connections to
// port 443 go to WIRE_PORT; any other name fails, so nothing leaves the machine. The run's
// certificate is trusted through NODE_EXTRA_CA_CERTS, set by the caller.
"use strict";
const dns = require("dns");
const net = require("net");
const tls = require("tls");

const port = Number(process.env.WIRE_PORT);
const hosts = new Set(process.env.WIRE_HOSTS.split(","));
const realLookup = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === "function") [options, callback] = [{}, options];
  if (!hosts.has(hostname)) {
    const error = new Error(`wire test: ${hostname} is not a stand-in host`);
    error.code = "ENOTFOUND";
    process.nextTick(callback, error);
    return;
  }
  return realLookup.call(dns, "127.0.0.1", options, callback);
};
function local(args) {
  const options = args[0];
  if (options && typeof options === "object" && Number(options.port) === 443 && hosts.has(options.host || options.servername)) {
    args[0] = { ...options, port, servername: options.servername || options.host };
  }
  return args;
}
for (const module of [net, tls]) {
  const connect = module.connect;
  module.connect = function patched(...args) { return connect.apply(this, local(args)); };
}

(async () => {
  const scenario = require(process.argv[2]);
  await scenario.run();
})().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
