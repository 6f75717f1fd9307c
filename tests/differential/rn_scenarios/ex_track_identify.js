// EX01-EX04, EX07, EX09: Expo's module, awaited as its documentation shows.
const Amplitude = require('expo-analytics-amplitude');

async function main() {
  await Amplitude.initializeAsync('AMPLITUDE_KEY');
  await Amplitude.setUserIdAsync('user-2');
  await Amplitude.logEventAsync('Started');
  await Amplitude.logEventWithPropertiesAsync('Searched', { query: 'shoes', results: 12 });
  await Amplitude.setUserPropertiesAsync({ plan: 'free', seats: 3 });
  await Amplitude.setGroupAsync('team', ['mobile']);
}

module.exports = main();
