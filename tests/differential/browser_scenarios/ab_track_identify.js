// AB01, AB04, AB07, AB08, AB09, AB15: track, setUserId, identify, reset (analytics-browser 2.x).
// `await later()` stands for the time between user actions: the Amplitude browser client fills
// identity in when its timeline processes an event (a timer), so actions in one tick would all
// see the last identity.
const amplitude = require('@amplitude/analytics-browser');

const later = () => new Promise((resolve) => setTimeout(resolve, 10));

async function main() {
  await amplitude.init('AMPLITUDE_KEY', { autocapture: false }).promise;
  amplitude.track('Viewed Cart', { items: 2 });
  await later();
  amplitude.setUserId('user-1'); // differs: ID002
  await later();
  amplitude.track('Checked Out', { total: 30 });
  amplitude.identify(new amplitude.Identify().set('plan', 'pro').add('orders', 1).setOnce('first', 'x'));
  await later();
  amplitude.reset();
  await later();
  amplitude.track('Viewed Cart', { items: 0 });
}

module.exports = main();
