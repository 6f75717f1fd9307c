// amplitude-js 8: AJ03 named instance, AJ06 logEventWithTimestamp, AJ07 logEventWithGroups,
// AJ11 logout recipe, AJ13 getUserId, AJ24 logRevenue, AJ25/AJ26 opt-out and back in ($opt_in, ID019).
const amplitude = require('amplitude-js');

const later = () => new Promise((resolve) => setTimeout(resolve, 10));

async function main() {
  amplitude.getInstance('shop').init('AMPLITUDE_KEY');
  amplitude.getInstance('shop').setUserId('user-5'); // differs: ID002
  await later();
  amplitude.getInstance('shop').logEventWithTimestamp('Imported', { batch: 1 }, 1700000000123);
  await later();
  amplitude.getInstance('shop').logEventWithGroups('Shared', { doc: 7 }, { org: 'acme' });
  await later();
  const uid = amplitude.getInstance('shop').getUserId();
  amplitude.getInstance('shop').logEvent('Echo', { uid });
  await later();
  amplitude.getInstance('shop').logRevenue(4.5, 2, 'p-1');
  await later();
  amplitude.getInstance('shop').setOptOut(true);
  amplitude.getInstance('shop').logEvent('Hidden');
  amplitude.getInstance('shop').setOptOut(false); // differs: ID019
  await later();
  amplitude.getInstance('shop').setUserId(null);
  amplitude.getInstance('shop').regenerateDeviceId();
  await later();
  amplitude.getInstance('shop').logEvent('After Logout');
}

module.exports = main();
