// amplitude-js 8: groupIdentify on a group profile, logEvent with a literal properties object and
// an Identify held in a variable (mutated unconditionally before use).
const amplitude = require('amplitude-js');

const later = () => new Promise((resolve) => setTimeout(resolve, 10));

async function main() {
  amplitude.getInstance().init('AMPLITUDE_KEY');
  amplitude.getInstance().setUserId('user-3'); // differs: ID002
  await later();
  amplitude.getInstance().groupIdentify('org', 'acme', new amplitude.Identify().set('tier', 'gold').unset('trial'));
  await later();
  const identify = new amplitude.Identify();
  identify.set('plan', 'team');
  identify.setOnce('first_plan', 'team');
  amplitude.getInstance().identify(identify);
  await later();
  amplitude.getInstance().logEvent('Invited', { seats: 4, channel: 'email' });
}

module.exports = main();
