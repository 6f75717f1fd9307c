// AN04: a literal event object with ids, properties, user properties and groups.
const amplitude = require('@amplitude/analytics-node');

amplitude.init('AMPLITUDE_KEY');
amplitude.track({
  event_type: 'Upgraded',
  user_id: 'user-1',
  device_id: 'device-1',
  event_properties: { plan: 'pro' },
  user_properties: { seats: 3 },
  groups: { company: 'acme' },
});
amplitude.track({ event_type: 'Visited', device_id: 'device-2', event_properties: { page: 'home' } });
