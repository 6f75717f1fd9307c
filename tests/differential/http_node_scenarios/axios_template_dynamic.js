const axios = require("axios");

const HOST = "https://api.eu.amplitude.com";

async function forward(events, config) {
  const payload = { api_key: config.AMPLITUDE_API_KEY, events };
  await axios.post(`${HOST}/2/httpapi`, payload);
}

async function run() {
  await forward([
    { event_type: "Played", user_id: "u-8", time: 1700000000999, insert_id: "bad id/with spaces",
      user_properties: { level: 4, $setOnce: { first_seen: "2023" }, $add: { plays: 1 } } },
    { event_type: "$identify", device_id: "d-8", user_properties: { $unset: { legacy: "-" } } },
    { event_type: "Paused", device_id: "d-8", event_properties: { token: "shadowed" } },
  ], { AMPLITUDE_API_KEY: "amp-key-0001", MIXPANEL_TOKEN: "mp-token-0001" });
}

module.exports = { run };
