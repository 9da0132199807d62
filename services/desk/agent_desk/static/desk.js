// Live pages: the server sends an event when what the page shows has changed, and htmx fetches that
// part again. The queue's rows; a conversation in the queue's turns (not while the agent is typing a
// suggestion among them: then once they leave it).
document.addEventListener("DOMContentLoaded", () => {
  if (!window.EventSource) return;
  const queue = document.querySelector("[data-live-queue]");
  if (queue) {
    new EventSource(queue.dataset.liveQueue).addEventListener("queue", () => {
      htmx.ajax("GET", queue.dataset.rows, { target: queue, swap: "innerHTML" });
    });
  }
  const turns = document.querySelector("[data-live-turns]");
  if (turns) {
    let pending = false;
    const refresh = () => {
      if (turns.contains(document.activeElement)) {
        pending = true;
        return;
      }
      pending = false;
      const atBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
      htmx.ajax("GET", turns.dataset.turns, { target: turns, swap: "innerHTML" }).then(() => {
        if (atBottom) window.scrollTo(0, document.body.scrollHeight);
      });
    };
    turns.addEventListener("focusout", () => setTimeout(() => pending && refresh(), 0));
    new EventSource(turns.dataset.liveTurns).addEventListener("turns", refresh);
  }
});
