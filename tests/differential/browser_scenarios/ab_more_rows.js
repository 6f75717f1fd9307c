// analytics-browser 2.x: AB06 event object, AB12 getUserId, AB19 opt-out and in ($opt_in, ID019), AB21 flush,
// AB22 createInstance with instanceName, AB24 setTransport.
const amplitude = require('@amplitude/analytics-browser');

const later = () => new Promise((resolve) => setTimeout(resolve, 10));

async function main() {
  const shop = amplitude.createInstance();
  await shop.init('AMPLITUDE_KEY', { instanceName: 'shop', autocapture: false }).promise;
  shop.setTransport('beacon');
  shop.setUserId('user-8'); // differs: ID002
  await later();
  shop.track({ event_type: 'Listed', event_properties: { items: 3 } });
  await later();
  const uid = shop.getUserId();
  shop.track('Echo', { uid });
  shop.flush();
  await later();
  shop.setOptOut(true);
  shop.track('Hidden');
  shop.setOptOut(false); // differs: ID019
  await later();
}

module.exports = main();
