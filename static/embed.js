// Shows this site's contact form in a frame on another site's page (one of ALLOWED_ORIGINS):
//   <div data-contact-client></div>
//   <script src="https://forms.example/contact/embed.js" async></script>
// The frame grows to its content: the form's page says how tall it is, and only messages from
// the form's own origin and from this frame are heard.
(function () {
  var script = document.currentScript;
  if (!script || !script.src) return;
  var src = new URL(script.src);
  var base = src.href.replace(/\/embed\.js(\?.*)?$/, "");
  var holder = document.querySelector("[data-contact-client]");
  if (!holder) {
    holder = document.createElement("div");
    script.parentNode.insertBefore(holder, script.nextSibling);
  }
  var frame = document.createElement("iframe");
  frame.src = base + "/";
  frame.title = holder.getAttribute("data-title") || "Contact form";
  frame.style.width = "100%";
  frame.style.border = "0";
  frame.style.height = "900px";
  holder.appendChild(frame);
  window.addEventListener("message", function (event) {
    if (event.origin !== src.origin || event.source !== frame.contentWindow) return;
    var height = event.data && event.data.contactClientHeight;
    if (typeof height === "number" && height > 0 && height < 20000) frame.style.height = Math.ceil(height) + "px";
  });
})();
