// AN07: setGroup with one name and a list of names.
const amplitude = require('@amplitude/analytics-node');

amplitude.init('AMPLITUDE_KEY');
amplitude.setGroup('org', 'acme', { user_id: 'user-1' });
amplitude.setGroup('team', ['t1', 't2'], { user_id: 'user-1' });
