// Create React App: only REACT_APP_ variables reach the bundle; any other name is undefined.
const amplitude = require('@amplitude/analytics-browser');

async function main() {
  await amplitude.init(process.env.REACT_APP_AMPLITUDE_KEY, { autocapture: false }).promise;
  amplitude.track('Opened', { from: 'cra' });
}

module.exports = main();
