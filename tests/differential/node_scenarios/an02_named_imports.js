// AN02 with destructured functions and a dynamic properties object.
const { init, track } = require('@amplitude/analytics-node');

function propertiesFor(page) {
  return { page, referrer: `${page}-ref` };
}

init('AMPLITUDE_KEY');
const props = propertiesFor('home');
track('Viewed', props, { user_id: 'user-1' });
track('Viewed', propertiesFor('cart'), { user_id: 'user-1', device_id: 'device-1' });
