// The billing assistant's chat widget: socket.io to the Rasa server, a signed session from the
// website, the transcript kept for the tab (sessionStorage) so a reload keeps the conversation.
(function () {
  "use strict";
  var root = document.getElementById("chat-widget");
  if (!root) { return; }
  root.classList.add("chat-widget");
  root.innerHTML =
    '<div class="chat-panel" id="chat-panel" role="dialog" aria-labelledby="chat-title" hidden>' +
    '  <div class="chat-header"><h2 id="chat-title">Billing assistant</h2>' +
    '    <button type="button" class="chat-close" aria-label="Close chat">&times;</button></div>' +
    '  <div class="chat-log" role="log" aria-live="polite" aria-relevant="additions" aria-label="Conversation" tabindex="0"></div>' +
    '  <div class="chat-typing" role="status" aria-live="polite"></div>' +
    '  <form class="chat-form" autocomplete="off">' +
    '    <label class="visually-hidden" for="chat-input">Message to the billing assistant</label>' +
    '    <input id="chat-input" type="text" maxlength="500" placeholder="Type your question">' +
    '    <button type="submit">Send</button>' +
    '  </form>' +
    '</div>' +
    '<button type="button" class="chat-launcher" aria-expanded="false" aria-controls="chat-panel">Chat with billing</button>';

  var panel = root.querySelector(".chat-panel");
  var log = root.querySelector(".chat-log");
  var typing = root.querySelector(".chat-typing");
  var form = root.querySelector(".chat-form");
  var input = root.querySelector("#chat-input");
  var launcher = root.querySelector(".chat-launcher");
  var closeButton = root.querySelector(".chat-close");
  var session = null;
  var socket = null;
  var typingTimer = null;
  var storageKey = null;
  var confirmed = false;
  var waiting = [];  // messages typed before the server confirmed the session

  function load() {
    try { return JSON.parse(sessionStorage.getItem(storageKey) || "{}"); } catch (e) { return {}; }
  }
  function save(state) { sessionStorage.setItem(storageKey, JSON.stringify(state)); }
  function remember(entry) {
    var state = load();
    state.messages = (state.messages || []).concat([entry]).slice(-200);
    save(state);
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  // Links: full URLs, and bare addresses such as kp.org/payonline.
  var LINK = /\b(https?:\/\/[^\s<]*[^\s<.,;:!?)"']|(?:[a-z0-9-]+\.)+(?:org|com|gov|net)(?:\/[^\s<]*[^\s<.,;:!?)"'])?)/gi;
  function linkify(text) {
    return escapeHtml(text).replace(LINK, function (match) {
      var href = /^https?:\/\//i.test(match) ? match : "https://" + match;
      return '<a href="' + href + '" target="_blank" rel="noopener noreferrer">' + match + "</a>";
    });
  }

  function showMessage(from, text) {
    var bubble = document.createElement("div");
    bubble.className = "chat-message " + from;
    bubble.innerHTML = '<span class="visually-hidden">' + (from === "user" ? "You said: " : "Assistant: ") +
      "</span>" + linkify(text);
    log.appendChild(bubble);
    log.scrollTop = log.scrollHeight;
  }

  function showButtons(buttons, used) {
    var group = document.createElement("div");
    group.className = "chat-buttons";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Choices");
    buttons.forEach(function (button) {
      var element = document.createElement("button");
      element.type = "button";
      element.textContent = button.title;
      element.disabled = !!used;
      element.addEventListener("click", function () {
        group.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
        markButtonsUsed();
        send(button.payload, button.title);
      });
      group.appendChild(element);
    });
    log.appendChild(group);
    log.scrollTop = log.scrollHeight;
    if (!used) {
      var first = group.querySelector("button");
      if (first && document.activeElement === input && input.value === "") { /* keep typing focus */ }
    }
  }

  function markButtonsUsed() {
    var state = load();
    (state.messages || []).forEach(function (m) { if (m.buttons) { m.used = true; } });
    save(state);
  }

  function onBotMessage(message) {
    setTyping(false);
    var text = message.text || "";
    var buttons = (message.quick_replies || message.buttons || []).map(function (b) {
      return { title: b.title, payload: b.payload };
    });
    if (message.attachment && message.attachment.payload && message.attachment.payload.src) {
      text = text ? text + "\n" + message.attachment.payload.src : message.attachment.payload.src;
    }
    if (text) { showMessage("bot", text); }
    if (buttons.length) { showButtons(buttons, false); }
    remember({ from: "bot", text: text, buttons: buttons.length ? buttons : null });
  }

  function setTyping(on) {
    clearTimeout(typingTimer);
    typing.textContent = on ? "The assistant is typing…" : "";
    if (on) { typingTimer = setTimeout(function () { typing.textContent = ""; }, 20000); }
  }

  function send(payload, shown) {
    if (!socket || !payload) { return; }
    if (shown !== null) {
      showMessage("user", shown);
      remember({ from: "user", text: shown });
    }
    setTyping(true);
    var data = { message: payload, customData: { member_token: session.member_token } };
    if (confirmed) { socket.emit("user_uttered", data); } else { waiting.push(data); }
  }

  var openWhenReady = false;

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.textContent = "Hide chat";
    input.focus();
    // Opened before the chat session arrived: greet once it has (a greeting sent now would be lost).
    if (!session) { openWhenReady = true; return; }
    var state = load();
    state.open = true;
    save(state);
    input.focus();
    if (!state.greeted) {
      state.greeted = true;
      save(state);
      send("/greet", null);
    }
  }
  function close() {
    openWhenReady = false;
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.textContent = "Chat with billing";
    var state = load();
    state.open = false;
    save(state);
    launcher.focus();
  }

  launcher.addEventListener("click", function () { if (panel.hidden) { open(); } else { close(); } });
  closeButton.addEventListener("click", close);
  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) { close(); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    markButtonsUsed();
    root.querySelectorAll(".chat-buttons button").forEach(function (b) { b.disabled = true; });
    send(text, text);
  });

  function connect() {
    socket = io(session.socket_url, { path: "/socket.io", transports: ["websocket", "polling"] });
    socket.on("connect", function () { socket.emit("session_request", { session_token: session.session_token }); });
    socket.on("session_confirm", function () {
      confirmed = true;
      root.setAttribute("data-ready", "true");
      waiting.splice(0).forEach(function (data) { socket.emit("user_uttered", data); });
    });
    socket.on("disconnect", function () { confirmed = false; });
    socket.on("session_rejected", function () { showMessage("bot", "This chat session has expired. Please reload the page."); });
    socket.on("bot_uttered", onBotMessage);
  }

  function refreshToken() {
    return fetch("/api/chat-session", { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (data) { if (session) { session.member_token = data.member_token; } return data; });
  }

  refreshToken().then(function (data) {
    session = data;
    storageKey = "billing-chat:" + data.conversation_id;
    var state = load();
    (state.messages || []).forEach(function (m) {
      if (m.text) { showMessage(m.from, m.text); }
      if (m.buttons) { showButtons(m.buttons, m.used); }
    });
    connect();
    if (state.open || openWhenReady) { open(); }
    setInterval(refreshToken, 4 * 60 * 1000);  // member tokens live 5 minutes
  });
})();
