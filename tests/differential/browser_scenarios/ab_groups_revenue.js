// AB16, AB17, AB18: setGroup, groupIdentify and revenue (analytics-browser 2.x).
const amplitude = require('@amplitude/analytics-browser');

const later = () => new Promise((resolve) => setTimeout(resolve, 10));

async function main() {
  await amplitude.init('AMPLITUDE_KEY', { autocapture: false }).promise;
  amplitude.setUserId('user-1'); // differs: ID002
  await later();
  amplitude.groupIdentify('org', 'acme', new amplitude.Identify().set('tier', 'gold').setOnce('since', 2020));
  await later();
  amplitude.revenue(new amplitude.Revenue().setPrice(9.99).setQuantity(3).setProductId('sku-1').setRevenueType('purchase'));
  await later();
  amplitude.setGroup('team', 't1');
}

module.exports = main();
