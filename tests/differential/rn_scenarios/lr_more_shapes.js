// LR01, LR03-LR05, LR07, LR25, LR26: a user id in a variable, a returned call, middleware extras,
// chained and awaited calls whose Mixpanel counterparts return nothing.
const { Amplitude } = require('@amplitude/react-native');

const amp = Amplitude.getInstance();
const track = (event, properties) => amp.logEvent(event, properties);

async function signIn(user) {
  await amp.setUserId(user.id);
}

async function main() {
  await amp.init('AMPLITUDE_KEY').catch(() => undefined);
  amp.enableLogging(false);
  amp.setEventUploadThreshold(5);
  await signIn({ id: 'user-3' });
  track('Tapped', { button: 'buy' });
  amp.logEvent('Opened', { from: 'push' }, { source: 'middleware-only' });
  amp.logEvent('Chained').then(() => undefined);
  await amp.logEvent('Awaited', { n: 1 });
}

module.exports = main();
