// AN06: every mappable Identify operator, first-operation-wins and server order.
const amplitude = require('@amplitude/analytics-node');

amplitude.init('AMPLITUDE_KEY');
amplitude.identify(
  new amplitude.Identify()
    .remove('roles', 'guest')
    .set('plan', 'pro')
    .set('plan', 'free')
    .setOnce('first_seen', '2024-01-01')
    .add('logins', 1)
    .append('tags', 'beta')
    .preInsert('langs', 'fr')
    .postInsert('langs2', 'en')
    .unset('legacy'),
  { user_id: 'user-1' },
);
amplitude.identify(new amplitude.Identify().set('theme', 'dark'), { device_id: 'device-1' });
