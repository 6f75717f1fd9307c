// NA01, NA02, NA04, NA05, NA07, NA10, NA12: the community `amplitude` package's events (both key
// spellings) and identifications, awaited and not.
const Amplitude = require('amplitude');

const amplitude = new Amplitude('AMPLITUDE_KEY');

async function main() {
  await amplitude.track({ userId: 'user-1', eventType: 'Signed Up', eventProperties: { plan: 'pro' } });
  amplitude.track({ user_id: 'user-2', event_type: 'Viewed', event_properties: { page: 'home' } });
  amplitude.track({ device_id: 'device-1', event_type: 'Opened', time: 1700000000123, insert_id: 'ins-1' },
    { min_id_length: 1 });
  amplitude.track({ user_id: 'user-2', event_type: 'Searched', time: 1700000000456, insert_id: 'ins-2' });
  amplitude.track({ userId: 'user-1', eventType: 'Joined', userProperties: { seats: 3 }, groups: { team: 'blue' } });
  amplitude.identify({ userId: 'user-1', userProperties: { plan: 'pro' } });
  await amplitude.identify({ device_id: 'device-2', user_properties: { theme: 'dark' } });
}

module.exports = main();
