// AN03: event options become Mixpanel properties (§5.2): time, insert id, ip, device fields.
const amplitude = require('@amplitude/analytics-node');

amplitude.init('AMPLITUDE_KEY');
amplitude.track('Played', { song: 'a' }, {
  user_id: 'user-1',
  device_id: 'device-1',
  time: 1700000000123,
  insert_id: 'ins-0001',
  ip: '203.0.113.9',
  app_version: '2.1.0',
  platform: 'Web',
  os_name: 'Linux',
  city: 'Paris',
  country: 'France',
  region: 'IDF',
  language: 'fr',
  location_lat: 48.85,
  location_lng: 2.35,
  session_id: 1700000000000,
});
