// AJ01, AJ04, AJ08, AJ17, AJ18, AJ22, AJ23 on amplitude-js 8. After set_group, mixpanel-browser
// adds the group to every later event as a super property (ID011), unlike amplitude-js.
const amplitude = require('amplitude-js');

const later = () => new Promise((resolve) => setTimeout(resolve, 10));

async function main() {
  amplitude.getInstance().init('AMPLITUDE_KEY');
  amplitude.getInstance().logEvent('Viewed Cart', { items: 2 });
  await later();
  amplitude.getInstance().setUserId('user-1'); // differs: ID002
  await later();
  amplitude.getInstance().logEvent('Checked Out', { total: 30 });
  await later();
  amplitude.getInstance().identify(new amplitude.Identify().set('plan', 'pro').add('orders', 1));
  await later();
  amplitude.getInstance().setUserProperties({ theme: 'dark' });
  await later();
  amplitude.getInstance().setGroup('org', 'acme');
  await later();
  amplitude.getInstance().logRevenueV2(new amplitude.Revenue().setPrice(4.5).setQuantity(2).setProductId('p-1')); // differs: ID011 raised at line 19
  await later();
}

module.exports = main();
