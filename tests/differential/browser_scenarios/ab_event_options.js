// AB05 + AB04 variants: event options time / insert_id, dynamic properties, logEvent.
const amplitude = require('@amplitude/analytics-browser');

const later = () => new Promise((resolve) => setTimeout(resolve, 10));

function propertiesFor(page) {
  return { page, referrer: `${page}-ref` };
}

async function main() {
  await amplitude.init('AMPLITUDE_KEY', { autocapture: false }).promise;
  amplitude.track('Played', { song: 'a' }, { time: 1700000000123, insert_id: 'ins-0001' });
  await later();
  const props = propertiesFor('home');
  amplitude.track('Viewed', props);
  amplitude.logEvent('Viewed', propertiesFor('cart'));
}

module.exports = main();
