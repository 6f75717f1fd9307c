// AB01 (issue 16): an app that sends its own page views turned Amplitude's off; the migrated
// init must not track Mixpanel's page view either (no `$mp_web_page_view`).
const amplitude = require('@amplitude/analytics-browser');

async function main() {
  await amplitude.init('AMPLITUDE_KEY', {
    defaultTracking: { pageViews: false, sessions: false, formInteractions: false, fileDownloads: false, attribution: false },
  }).promise;
  amplitude.track('Page Viewed', { path: '/cart' });
  amplitude.track('Viewed Cart', { items: 2 });
}

module.exports = main();
