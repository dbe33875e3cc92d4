// anthology preview: reload this page when the book is saved, and come back to the same place.
// The server sends an event "reload" on /_events once a newer version of the book is ready.
(function () {
  "use strict";
  var key = "anthology-preview-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var position = JSON.parse(saved);
    window.scrollTo(position[0], position[1]);
  }
  var meta = document.querySelector('meta[name="anthology-version"]');
  var since = meta ? meta.getAttribute("content") : "";
  var events = new EventSource("/_events?since=" + encodeURIComponent(since));
  events.addEventListener("reload", function () {
    events.close();
    sessionStorage.setItem(key, JSON.stringify([window.scrollX, window.scrollY]));
    location.reload();
  });
})();
