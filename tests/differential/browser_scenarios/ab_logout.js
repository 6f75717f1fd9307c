// AB11: setUserId(undefined) becomes mixpanel.reset(): Mixpanel starts a new device (ID003).
const amplitude = require('@amplitude/analytics-browser');

const later = () => new Promise((resolve) => setTimeout(resolve, 10));

async function main() {
  await amplitude.init('AMPLITUDE_KEY', { autocapture: false }).promise;
  amplitude.setUserId('user-1'); // differs: ID002
  await later();
  amplitude.track('Signed In');
  await later();
  amplitude.setUserId(undefined);
  await later();
  amplitude.track('Browsed', { page: 'home' }); // differs: ID003 raised at line 12
}

module.exports = main();
