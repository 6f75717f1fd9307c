// AB02 init with a user id that is undefined at run time (not signed in).
const amplitude = require('@amplitude/analytics-browser');

async function main(signedIn) {
  const userId = signedIn ? 'user-7' : undefined;
  await amplitude.init('AMPLITUDE_KEY', userId, { autocapture: false }).promise;
  amplitude.track('Opened', { from: 'mail' });
}

module.exports = main(false);
