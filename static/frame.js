// In a frame of another site's page (embed.js, one of ALLOWED_ORIGINS): tells that page how
// tall this one is, so that the frame fits it. Messages go only to the allowed origins.
(function () {
  if (window.parent === window) return;
  var me = document.currentScript;
  var parents = ((me && me.getAttribute("data-parents")) || "").split(" ").filter(Boolean);
  if (!parents.length) return;
  function tell() {
    var height = document.documentElement.scrollHeight;
    parents.forEach(function (origin) {
      window.parent.postMessage({ contactClientHeight: height }, origin);
    });
  }
  window.addEventListener("load", tell);
  if (window.ResizeObserver) new ResizeObserver(tell).observe(document.body);
})();
