// LN01-LN05, LN13, LN14: the legacy Node SDK's event objects, awaited and flushed.
const Amplitude = require('@amplitude/node');

const client = Amplitude.init('AMPLITUDE_KEY', { maxCachedEvents: 100 });

async function main() {
  client.logEvent({ event_type: 'Viewed Home', user_id: 'user-1', event_properties: { page: 'home' } });
  client.logEvent({ event_type: 'Opened App', device_id: 'device-1' });
  await client.logEvent({
    event_type: 'Signed Up', user_id: 'user-2', device_id: 'device-2',
    event_properties: { plan: 'pro' }, time: 1700000000123, insert_id: 'ins-1',
  });
  client.logEvent({ event_type: 'Searched', user_id: 'user-1', time: 1700000000456, insert_id: 'ins-2' });
  client.logEvent({ event_type: 'Upgraded', user_id: 'user-1', user_properties: { seats: 3 } });
  client.logEvent({ event_type: 'Joined Team', user_id: 'user-1', groups: { team: 'blue' } });
  await client.flush();
}

module.exports = main();
