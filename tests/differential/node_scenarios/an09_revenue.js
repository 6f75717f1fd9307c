// AN09: revenue = price × quantity, REV properties, event properties merged.
const amplitude = require('@amplitude/analytics-node');

amplitude.init('AMPLITUDE_KEY');
amplitude.revenue(
  new amplitude.Revenue()
    .setPrice(9.99)
    .setQuantity(3)
    .setProductId('sku-1')
    .setRevenueType('purchase')
    .setCurrency('EUR')
    .setEventProperties({ coupon: 'X1' }),
  { user_id: 'user-1' },
);
