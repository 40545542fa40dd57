// Searches one share of a proof-of-work challenge's numbers (start, start + step, ...) for
// the one whose SHA-256(salt + number) is the challenge; answers {number} or {number: null}.
"use strict";

function bytesOf(hex) {
  var out = new Uint8Array(hex.length / 2);
  for (var i = 0; i < out.length; i += 1) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

function same(a, b) {
  for (var i = 0; i < b.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

self.onmessage = async function (event) {
  var task = event.data;
  var target = bytesOf(task.challenge);
  var encoder = new TextEncoder();
  for (var n = task.start; n <= task.max; n += task.step) {
    var digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(task.salt + n)));
    if (same(digest, target)) {
      self.postMessage({ number: n });
      return;
    }
  }
  self.postMessage({ number: null });
};
