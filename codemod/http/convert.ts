// The converter the HTTP rewrite adds to a migrated JavaScript or TypeScript module (spec
// §5.2-§5.3), the counterpart of convert.py. Everything between the marker comments is
// copied into the module; JavaScript receives it without the `: any` annotations.
// --- amp2mp converter: begin ---
function amp2mpImportEvents(body: any, revenueEvent: any = "Revenue"): any {
  const renamed: any = {
    app_version: "$app_version_string", os_name: "$os", os_version: "$os_version",
    device_brand: "$brand", device_manufacturer: "$manufacturer", device_model: "$model",
    carrier: "$carrier", region: "$region", city: "$city", location_lat: "$latitude",
    location_lng: "$longitude", productId: "product_id", revenueType: "revenue_type",
  };
  const kept: any = ["platform", "country", "dma", "language", "idfa", "idfv", "adid",
    "android_id", "android_app_set_id", "event_id", "user_agent", "price", "quantity",
    "revenue", "currency"];
  const written: any = new Set(["time", "distinct_id", "token", "ip", "$insert_id", "$user_id",
    "$device_id", "session_id", ...Object.values(renamed), ...kept]);
  const records: any = [];
  for (const event of amp2mpEvents(body)) {
    const name = event.event_type;
    if (name === "$identify") continue;
    if (name === "$groupidentify") {
      throw new Error("a $groupidentify event goes to Mixpanel's /groups, not /import");
    }
    const userId = event.user_id;
    const deviceId = event.device_id;
    const time = event.time === undefined || event.time === null ? Date.now() : event.time;
    const properties: any = {
      time, distinct_id: userId ? userId : deviceId ? `$device:${deviceId}` : "",
    };
    if (userId) properties.$user_id = userId;
    if (deviceId) properties.$device_id = deviceId;
    let insertId = event.insert_id;
    if (insertId === undefined || insertId === null) {
      const parts = [name, userId, deviceId, time, event.event_id];
      const seed = parts.map((p) => (p === undefined || p === null ? "" : String(p))).join(String.fromCharCode(31));
      insertId = amp2mpSha256(seed).slice(0, 36);
    } else if (!/^[A-Za-z0-9-]{1,36}$/.test(String(insertId))) {
      insertId = amp2mpSha256(String(insertId)).slice(0, 36);
    }
    properties.$insert_id = insertId;
    for (const [key, value] of Object.entries(event.event_properties || {})) {
      properties[written.has(key) ? `amp_${key}` : key] = value;
    }
    for (const [groupType, groupName] of Object.entries(event.groups || {})) {
      properties[groupType] = groupName;
    }
    for (const [key, value] of Object.entries(event)) {
      if (key in renamed) properties[renamed[key]] = value;
      else if (kept.includes(key)) properties[key] = value;
      else if (key === "session_id" && value !== -1) properties.session_id = value;
    }
    if (!("app_version" in event) && "version_name" in event) {
      properties.$app_version_string = event.version_name;
    }
    if ("price" in event) {
      properties.revenue = event.price * (event.quantity === undefined ? 1 : event.quantity);
    }
    if (event.ip === undefined || event.ip === null) properties.ip = 0;
    else if (event.ip !== "$remote") properties.ip = event.ip;
    records.push({ event: name === "revenue_amount" ? revenueEvent : name, properties });
  }
  return records;
}
function amp2mpProfileUpdates(body: any, token: any): any {
  const messages: any = [];
  for (const event of amp2mpEvents(body)) {
    if (event.event_type !== "$groupidentify") messages.push(...amp2mpEngage(event, token));
  }
  return messages;
}
function amp2mpEngageUpdates(identification: any, token: any): any {
  const messages: any = [];
  for (const item of amp2mpIdentification(identification)) {
    messages.push(...amp2mpEngage(item, token));
  }
  return messages;
}
function amp2mpGroupUpdates(identification: any, token: any): any {
  const messages: any = [];
  for (const item of amp2mpIdentification(identification)) {
    const ids = Array.isArray(item.group_value) ? item.group_value : [item.group_value];
    for (const [operator, values] of amp2mpOperations(item.group_properties || {})) {
      if (operator === "$add" || operator === "$append") {
        throw new Error(`Mixpanel group profiles have no ${operator}`);
      }
      for (const id of ids) {
        messages.push({ $token: token, $group_key: item.group_type, $group_id: id, [operator]: values });
      }
    }
  }
  return messages;
}
function amp2mpIdentification(identification: any): any {
  const items = typeof identification === "string" ? JSON.parse(identification) : identification;
  return Array.isArray(items) ? items : [items];
}
function amp2mpEngage(item: any, token: any): any {
  const userId = item.user_id;
  const deviceId = item.device_id;
  const distinctId = userId ? userId : deviceId ? `$device:${deviceId}` : "";
  const operations = amp2mpOperations(item.user_properties || {});
  if (item.groups && (item.event_type === undefined || item.event_type === "$identify")) {
    const memberships: any = {};
    for (const [type, names] of Object.entries(item.groups)) {
      memberships[type] = Array.isArray(names) ? names : [names];
    }
    if (Object.keys(memberships).length > 0) operations.push(["$set", memberships]);
  }
  return operations.map(([operator, values]: any) => {
    const message: any = { $token: token, $distinct_id: distinctId, [operator]: values };
    if (item.ip !== "$remote") message.$ip = item.ip === undefined || item.ip === null ? 0 : item.ip;
    return message;
  });
}
function amp2mpOperations(properties: any): any {
  const order = ["$unset", "$set", "$setOnce", "$add", "$append", "$prepend", "$preInsert",
    "$postInsert", "$remove", "$clearAll"];
  const target: any = { $set: "$set", $setOnce: "$set_once", $add: "$add", $append: "$append",
    $preInsert: "$union", $postInsert: "$union", $remove: "$remove", $unset: "$unset" };
  const byOperator: any = {};
  for (const [key, value] of Object.entries(properties)) {
    if (!order.includes(key)) (byOperator.$set = byOperator.$set || {})[key] = value;
  }
  for (const operator of order) {
    const values: any = properties[operator];
    if (values === undefined || values === null) continue;
    if (!(operator in target)) {
      throw new Error(`Mixpanel profiles have no equivalent of Amplitude's ${operator}`);
    }
    if (operator === "$unset") {
      byOperator.$unset = Object.keys(values);
      continue;
    }
    const merged = (byOperator[target[operator]] = byOperator[target[operator]] || {});
    for (const [key, value] of Object.entries(values)) {
      if (key in merged) continue;
      merged[key] = target[operator] === "$union" && !Array.isArray(value) ? [value] : value;
    }
  }
  return ["$unset", "$set", "$set_once", "$add", "$append", "$union", "$remove"]
    .filter((operator) => operator in byOperator)
    .map((operator) => [operator, byOperator[operator]]);
}
function amp2mpBasicAuth(token: any): any {
  const text = `${token}:`;
  return "Basic " + (typeof Buffer !== "undefined" ? Buffer.from(text).toString("base64") : btoa(text));
}
function amp2mpEvents(body: any): any {
  return Array.isArray(body) ? body : (body && body.events) || [];
}
function amp2mpSha256(text: any): any {
  const k = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ];
  const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
    0x5be0cd19];
  const rotr = (x: any, n: any): any => (x >>> n) | (x << (32 - n));
  const bytes = new TextEncoder().encode(text);
  const padded = new Uint8Array(((bytes.length + 9 + 63) >> 6) << 6);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor((bytes.length * 8) / 0x100000000));
  view.setUint32(padded.length - 4, (bytes.length * 8) >>> 0);
  const w = new Uint32Array(64);
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i]) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    [a, b, c, d, e, f, g, hh].forEach((value, i) => { h[i] = (h[i] + value) | 0; });
  }
  return h.map((x) => (x >>> 0).toString(16).padStart(8, "0")).join("");
}
// --- amp2mp converter: end ---
