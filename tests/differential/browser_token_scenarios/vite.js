// Vite: the key is read from Vite's env object (VITE_ names), which its define step writes in.
const amplitude = require('@amplitude/analytics-browser');

async function main() {
  await amplitude.init(import.meta.env.VITE_AMPLITUDE_API_KEY, { autocapture: false }).promise;
  amplitude.track('Opened', { from: 'vite' });
  amplitude.track('Searched', { query: 'shoes' });
}

module.exports = main();
