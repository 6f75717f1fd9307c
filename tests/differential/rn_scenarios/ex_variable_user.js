// EX01-EX03, EX05, EX07, EX13: a user id in a variable, and a chained call.
const Amplitude = require('expo-analytics-amplitude');

async function start(user) {
  await Amplitude.initializeAsync('AMPLITUDE_KEY');
  await Amplitude.setUserIdAsync(user.id);
  await Amplitude.setUserPropertiesAsync({ plan: user.plan });
  Amplitude.logEventAsync('Started').catch(() => undefined);
  await Amplitude.logEventWithPropertiesAsync('Viewed', { screen: 'home' });
}

module.exports = start({ id: 'user-4', plan: 'team' });
