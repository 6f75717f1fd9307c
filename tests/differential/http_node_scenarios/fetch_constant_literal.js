const AMPLITUDE_URL = "https://api2.amplitude.com/2/httpapi";

async function trackSignup(userId, deviceId, plan) {
  const response = await fetch(AMPLITUDE_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      api_key: process.env.AMPLITUDE_API_KEY,
      events: [
        { event_type: "Signed Up", user_id: userId, device_id: deviceId, time: 1700000000123,
          insert_id: "signup-1", event_properties: { plan, time: "noon" }, os_name: "iOS",
          groups: { org: "acme" }, ip: "$remote" },
        { event_type: "Page Viewed", device_id: deviceId, session_id: -1, platform: "Web" },
      ],
    }),
  });
  return response.ok;
}

async function run() {
  await trackSignup("user-7", "device-7", "pro");
}

module.exports = { run };
