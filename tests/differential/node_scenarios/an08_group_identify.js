// AN08: groupIdentify with the operators group profiles support.
const amplitude = require('@amplitude/analytics-node');

amplitude.init('AMPLITUDE_KEY');
amplitude.groupIdentify(
  'org',
  'acme',
  new amplitude.Identify().set('tier', 'gold').setOnce('since', 2020).unset('trial').remove('flags', 'x'),
);
