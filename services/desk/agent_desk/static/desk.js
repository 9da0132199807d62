// The queue refreshes itself: the server sends a `queue` event when the waiting handoffs change,
// and the rows are fetched again with htmx.
document.addEventListener("DOMContentLoaded", () => {
  const queue = document.querySelector("[data-live-queue]");
  if (!queue || !window.EventSource) return;
  const source = new EventSource(queue.dataset.liveQueue);
  source.addEventListener("queue", () => {
    htmx.ajax("GET", queue.dataset.rows, { target: queue, swap: "innerHTML" });
  });
});
