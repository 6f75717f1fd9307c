// AJ02 init with a user id on a getInstance() client, AJ04, AJ10 setUserId(null) -> reset (ID003).
const amplitude = require('amplitude-js');

const later = () => new Promise((resolve) => setTimeout(resolve, 10));

async function main() {
  const client = amplitude.getInstance();
  client.init('AMPLITUDE_KEY', 'user-7'); // differs: ID002
  await later();
  client.logEvent('Opened', { from: 'mail' });
  await later();
  client.setUserId(null);
  await later();
  client.logEvent('Opened', { from: 'push' }); // differs: ID003 raised at line 12
}

module.exports = main();
