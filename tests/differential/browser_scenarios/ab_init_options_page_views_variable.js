// AB01 (issue 16): the caller decides whether page views are tracked; the migrated init passes
// the same variable on (`track_pageview: enabledPageViewsTracking`), so it still decides.
const amplitude = require('@amplitude/analytics-browser');

async function start(apiKey, enabledPageViewsTracking) {
  await amplitude.init(apiKey, {
    defaultTracking: { pageViews: enabledPageViewsTracking, sessions: false, formInteractions: false, fileDownloads: false, attribution: false },
  }).promise;
  amplitude.track('Started', { consent: enabledPageViewsTracking });
}

module.exports = start(process.env.MIXPANEL_TOKEN, false);
