// LN09, LN10: Identify objects replayed as Amplitude validated them (first operation wins,
// add of a non-number dropped), and setGroup as a profile property.
const { init } = require('@amplitude/node');
const { Identify } = require('@amplitude/identify');

const amplitude = init('AMPLITUDE_KEY');

async function main() {
  amplitude.identify('user-1', null, new Identify()
    .set('plan', 'pro')
    .set('plan', 'free')
    .setOnce('first_seen', '2024-01-01')
    .add('logins', 1)
    .add('visits', '5')
    .append('tags', 'beta')
    .unset('legacy'));
  const ident = new Identify();
  ident.set('theme', 'dark');
  ident.setGroup('org', 'acme');
  amplitude.identify('user-2', 'device-2', ident);
  await amplitude.flush();
}

module.exports = main();
