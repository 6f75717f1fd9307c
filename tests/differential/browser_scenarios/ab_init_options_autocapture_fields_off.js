// AB01 (issue 16): an autocapture object turning every kind off: nothing automatic is sent by
// either SDK, only the tracked event.
const amplitude = require('@amplitude/analytics-browser');

async function main() {
  await amplitude.init('AMPLITUDE_KEY', {
    autocapture: { pageViews: false, sessions: false, formInteractions: false, fileDownloads: false, attribution: false, elementInteractions: false },
  }).promise;
  amplitude.track('Clicked Buy', { sku: 'A-1' });
}

module.exports = main();
