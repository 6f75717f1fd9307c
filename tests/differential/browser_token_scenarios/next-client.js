// Next.js client code: only NEXT_PUBLIC_ variables are inlined into the browser bundle.
const amplitude = require('@amplitude/analytics-browser');

async function main() {
  await amplitude.init(process.env.NEXT_PUBLIC_AMPLITUDE_API_KEY, { autocapture: false }).promise;
  amplitude.track('Opened', { from: 'next' });
}

module.exports = main();
