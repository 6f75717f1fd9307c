// AN13: a second client from createInstance() with its own key.
const amplitude = require('@amplitude/analytics-node');

const billing = amplitude.createInstance();
billing.init('BILLING_KEY');
billing.track('Invoice Sent', { amount: 12 }, { user_id: 'user-1' });
