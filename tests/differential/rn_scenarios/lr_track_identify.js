// LR01, LR03, LR06, LR12, LR13, LR16, LR19, LR21: the legacy React Native SDK's calls on its instance.
const { Amplitude, Identify } = require('@amplitude/react-native');

const amp = Amplitude.getInstance();

async function main() {
  await amp.init('AMPLITUDE_KEY');
  await amp.setUserId('user-1');
  amp.logEvent('Opened App');
  amp.logEvent('Viewed Screen', { screen: 'home', depth: 2 });
  amp.setUserProperties({ plan: 'pro' });
  const id = new Identify();
  id.set('theme', 'dark');
  id.setOnce('first_seen', '2024-01-01');
  id.add('logins', 1);
  await amp.identify(id);
  amp.logRevenue({ price: 4.99, quantity: 2, productId: 'coins' });
  amp.setGroup('org', 'acme');
  amp.uploadEvents();
}

module.exports = main();
