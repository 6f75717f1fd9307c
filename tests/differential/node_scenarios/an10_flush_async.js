// AN10 + AN14: an async job that awaits its events and the flush.
const amplitude = require('@amplitude/analytics-node');

async function job(uid) {
  await amplitude.track('Job Done', { ok: true }, { user_id: uid }).promise;
  await amplitude.flush().promise;
}

amplitude.init('AMPLITUDE_KEY');
module.exports = job('worker-1');
