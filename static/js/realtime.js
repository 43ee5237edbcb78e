/* Realtime: one websocket per signed-in page.
 *
 * - Subscribes to the topics the page lists in <body data-realtime-topics="a b">.
 * - On a message for topic T, every element with data-realtime-topic containing T gets an
 *   htmx "realtime" event; such elements declare hx-get + hx-trigger="realtime" and re-fetch.
 * - Reconnects by itself (backoff capped at 3 s) and shows #realtime-status while offline.
 * - Presence: a heartbeat every 30 s; the server answers with who else views this page.
 */
(function () {
  'use strict';
  var body = document.body;
  if (!body || body.dataset.realtime !== 'on' || !window.WebSocket) return;

  var topics = (body.dataset.realtimeTopics || '').trim();
  var status = document.getElementById('realtime-status');
  var presence = document.getElementById('presence');
  var socket = null;
  var attempts = 0;
  var heartbeat = null;
  var offlineTimer = null;

  function url() {
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    return scheme + location.host + '/ws?topics=' + encodeURIComponent(topics) +
      '&page=' + encodeURIComponent(location.pathname);
  }

  function showOffline(offline) {
    if (!status) return;
    clearTimeout(offlineTimer);
    if (offline) {
      // A blip shorter than a second is not worth a flicker.
      offlineTimer = setTimeout(function () {
        status.textContent = body.dataset.msgOffline || 'Offline';
        status.hidden = false;
      }, 800);
    } else {
      status.hidden = true;
    }
  }

  function initials(name) {
    var words = (name || '?').split(/\s+/).filter(Boolean);
    return ((words[0] || '?')[0] + (words.length > 1 ? words[words.length - 1][0] : '')).toUpperCase();
  }

  function renderPresence(users) {
    if (!presence) return;
    var others = (users || []).filter(function (u) { return u.user_id !== body.dataset.me; });
    presence.textContent = '';
    if (!others.length) { presence.removeAttribute('aria-label'); return; }
    presence.setAttribute('aria-label', (body.dataset.msgViewing || '') + ': ' +
      others.map(function (u) { return u.name; }).join(', '));
    others.slice(0, 5).forEach(function (u) {
      var span = document.createElement('span');
      span.className = 'avatar avatar--sm presence__avatar';
      span.title = u.name;
      span.textContent = initials(u.name);
      presence.appendChild(span);
    });
  }

  function refresh(topic) {
    var nodes = document.querySelectorAll('[data-realtime-topic]');
    Array.prototype.forEach.call(nodes, function (el) {
      if (el.getAttribute('data-realtime-topic').split(/\s+/).indexOf(topic) !== -1 && window.htmx) {
        window.htmx.trigger(el, 'realtime');
      }
    });
  }

  function onMessage(event) {
    var message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    if (message.type === 'presence') { renderPresence(message.users); return; }
    if (message.topic && message.topic !== 'system') refresh(message.topic);
    document.dispatchEvent(new CustomEvent('studio:realtime', { detail: message }));
  }

  function connect() {
    socket = new WebSocket(url());
    socket.addEventListener('open', function () {
      attempts = 0;
      showOffline(false);
      clearInterval(heartbeat);
      heartbeat = setInterval(function () {
        if (socket.readyState === 1) socket.send(JSON.stringify({ type: 'heartbeat' }));
      }, 30000);
    });
    socket.addEventListener('message', onMessage);
    socket.addEventListener('close', function () {
      clearInterval(heartbeat);
      showOffline(true);
      attempts += 1;
      setTimeout(connect, Math.min(3000, 250 * Math.pow(2, attempts)));
    });
  }

  window.addEventListener('pagehide', function () {
    if (socket) { socket.onclose = null; socket.close(); }
  });
  connect();
})();
