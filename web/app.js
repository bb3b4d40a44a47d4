/* Starts rasa-webchat on the page and makes it usable with keyboard and screen reader.
   The conversation is kept in sessionStorage: it survives a reload, and the browser removes it
   when the browser (or the tab) is closed, which matters on shared computers. The
   "Gesprek wissen" button removes it at once and starts a new conversation. */
(function () {
  "use strict";

  var config = window.CHATBOT_CONFIG || {};
  var container = document.getElementById("webchat");
  var STORAGE_KEY = "chat_session"; // where rasa-webchat 1.0.1 keeps the conversation

  // Earlier versions of this page kept the conversation in localStorage: remove it there.
  try { window.localStorage.removeItem(STORAGE_KEY); } catch (e) { /* storage disabled */ }

  document.getElementById("clear-chat").addEventListener("click", function () {
    try { window.sessionStorage.removeItem(STORAGE_KEY); } catch (e) { /* storage disabled */ }
    window.location.reload();
  });

  window.WebChat.default(
    {
      socketUrl: config.socketUrl || "http://127.0.0.1:5005",
      socketPath: "/socket.io/",
      initPayload: "/greet", // the greeting says what one can ask, with buttons
      embedded: true, // always open: no launcher to find first
      title: "Vragen over uitzaaiingen",
      subtitle: "Algemene informatie, geen arts",
      inputTextFieldHint: "Typ hier uw vraag",
      connectingText: "Verbinden…",
      hideWhenNotConnected: false,
      showMessageDate: false,
      customMessageDelay: function () { return 400; },
      params: { storage: "session" } // survives a reload, not the end of the browser session
    },
    container
  );

  // rasa-webchat 1.0.1 leaves these gaps for assistive technology; fill them in as it renders.
  function label(selector, text) {
    container.querySelectorAll(selector).forEach(function (el) {
      if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", text);
    });
  }

  function onKeyActivate(event) {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      event.currentTarget.click();
    }
  }

  function improve() {
    label(".rw-new-message", "Uw vraag");
    label(".rw-send", "Versturen");
    label(".rw-close-button", "Chat sluiten");
    label(".rw-toggle-fullscreen-button", "Volledig scherm");
    container.querySelectorAll(".rw-send svg, .rw-avatar").forEach(function (el) {
      el.setAttribute("aria-hidden", "true");
      el.setAttribute("focusable", "false");
    });
    container.querySelectorAll(".rw-messages-container").forEach(function (el) {
      if (el.getAttribute("role") !== "log") {
        el.setAttribute("role", "log");
        el.setAttribute("aria-live", "polite");
        el.setAttribute("aria-label", "Gesprek");
        el.setAttribute("tabindex", "0");
      }
    });
    // quick replies are <div>s with a click handler: make them real buttons for the keyboard
    container.querySelectorAll("div.rw-reply").forEach(function (el) {
      if (el.getAttribute("role") !== "button") {
        el.setAttribute("role", "button");
        el.setAttribute("tabindex", "0");
        el.addEventListener("keydown", onKeyActivate);
      }
    });
    container.querySelectorAll(".rw-replies").forEach(function (el) {
      if (!el.getAttribute("role")) {
        el.setAttribute("role", "group");
        el.setAttribute("aria-label", "Kies een onderwerp");
      }
    });
  }

  new MutationObserver(improve).observe(container, { childList: true, subtree: true });
  improve();
})();
