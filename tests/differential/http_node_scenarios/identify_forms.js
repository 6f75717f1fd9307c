const axios = require("axios");

const IDENTIFY_URL = "https://api2.amplitude.com/identify";

async function setPlan(userId, plan) {
  await fetch(IDENTIFY_URL, {
    method: "POST",
    body: new URLSearchParams({
      api_key: process.env.AMPLITUDE_API_KEY,
      identification: JSON.stringify([{ user_id: userId, user_properties: { $set: { plan }, $add: { upgrades: 1 }, $postInsert: { badges: "early" } } }]),
    }),
  });
}

async function updateOrg(orgId, seats) {
  await axios.post(
    "https://api2.amplitude.com/groupidentify",
    new URLSearchParams({
      api_key: process.env.AMPLITUDE_API_KEY,
      identification: JSON.stringify([{ group_type: "org", group_value: [orgId, "beta"], group_properties: { seats, tier: "gold" } }]),
    }),
  );
}

async function run() {
  await setPlan("user-9", "pro");
  await updateOrg("acme", 12);
}

module.exports = { run };
