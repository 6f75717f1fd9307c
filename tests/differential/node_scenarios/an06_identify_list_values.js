// AN06 / ID012: remove() with a list value; Mixpanel Node silently sends nothing for non-scalar
// values (spec §2.2), so that profile update is lost.
const amplitude = require('@amplitude/analytics-node');

amplitude.init('AMPLITUDE_KEY');
amplitude.identify(new amplitude.Identify().append('tags', ['a', 'b']).set('k', 1), { user_id: 'user-1' });
amplitude.identify(new amplitude.Identify().remove('roles', ['x', 'y']), { user_id: 'user-1' }); // differs: ID012 drops $remove
amplitude.identify(new amplitude.Identify().remove('roles', 'guest'), { user_id: 'user-1' });
