// AN01 + AN02: init and track with a user id, a device id and both.
const amplitude = require('@amplitude/analytics-node');

amplitude.init('AMPLITUDE_KEY');
amplitude.track('Signed Up', { plan: 'pro' }, { user_id: 'user-1' });
amplitude.track('Viewed', { page: 'home' }, { device_id: 'device-1' });
amplitude.track('Viewed', { page: 'cart' }, { user_id: 'user-2', device_id: 'device-2' });
