/* The project hub (templates/projects/hub.html).
 *
 * Cards and panels: a card (button[data-hub-card]) opens its panel in its slot
 * (#hub-panel-<key>) below the cards; opening another closes the first, Shift+click (or
 * Shift+Enter / Shift+Space) keeps the others open. The open set lives in ?open=a,b
 * (history.replaceState), so a reload or a shared link shows the same panels (the server
 * renders them). Without JavaScript the cards submit ?open=<key>.
 *
 * Live parts (elements with data-realtime-topic inside the hub) re-fetch themselves on a
 * realtime message, except while someone works in them: an open inline editor, rooms being
 * selected, a new room being typed, older activity loaded. They catch up once free. The echo
 * of this page's own change (its answer is already shown) is skipped.
 *
 * Rooms panel: row selection and its bulk bar.
 */
(function () {
  'use strict';

  var doc = document;
  var ECHO_MS = 1500;

  function hub() { return doc.querySelector('[data-hub]'); }
  function slot(key) { return doc.getElementById('hub-panel-' + key); }
  function card(key) { return doc.getElementById('hub-card-' + key); }
  function slots() { return Array.prototype.slice.call(doc.querySelectorAll('[data-hub-panel]')); }

  function openKeys() {
    return slots().filter(function (s) { return !s.hidden; }).map(function (s) { return s.getAttribute('data-hub-panel'); });
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  }

  /* ---- the URL and the cards' state ------------------------------------------------------ */
  function syncUrl() {
    var keys = openKeys();
    var url = new URL(window.location.href);
    if (keys.length) url.searchParams.set('open', keys.join(','));
    else url.searchParams.delete('open');
    // Commas read better than %2C in a link people share.
    var href = url.pathname + (url.search ? url.search.replace(/%2C/gi, ',') : '') + url.hash;
    window.history.replaceState(window.history.state, '', href);
  }

  function syncCards() {
    var keys = openKeys();
    doc.querySelectorAll('[data-hub-card]').forEach(function (button) {
      var key = button.getAttribute('data-hub-card');
      var isOpen = keys.indexOf(key) !== -1;
      button.setAttribute('aria-expanded', isOpen ? 'true' : 'false');
      button.value = isOpen ? '' : key; // what a no-JS submit would ask for
    });
  }

  /* ---- opening and closing ------------------------------------------------------------- */
  function openPanel(key, reveal) {
    var section = slot(key);
    if (!section) return;
    var body = section.querySelector('[data-hub-panel-body]');
    section.hidden = false;
    if (body && !body.firstElementChild && window.htmx) {
      body.setAttribute('aria-busy', 'true');
      window.htmx.ajax('GET', section.getAttribute('data-panel-url'), { target: body, swap: 'innerHTML' })
        .then(function () { body.removeAttribute('aria-busy'); if (reveal) show(section); });
    } else if (reveal) {
      show(section);
    }
  }

  function show(section) {
    var rect = section.getBoundingClientRect();
    if (rect.top < 0 || rect.top > window.innerHeight - 80) {
      section.scrollIntoView({ behavior: reducedMotion() ? 'auto' : 'smooth', block: 'start' });
    }
  }

  function closePanel(key) {
    var section = slot(key);
    if (!section) return;
    section.hidden = true;
    var body = section.querySelector('[data-hub-panel-body]');
    if (body) body.innerHTML = ''; // a closed panel holds nothing that could refresh or submit
  }

  function toggle(key, keepOthers) {
    var section = slot(key);
    if (!section) return;
    if (!section.hidden) {
      closePanel(key);
    } else {
      if (!keepOthers) openKeys().forEach(function (other) { if (other !== key) closePanel(other); });
      openPanel(key, true);
    }
    syncCards();
    syncUrl();
  }

  doc.addEventListener('click', function (event) {
    var button = event.target.closest('[data-hub-card]');
    if (button) {
      event.preventDefault();
      if (button._skipClickUntil && Date.now() < button._skipClickUntil) return;
      toggle(button.getAttribute('data-hub-card'), event.shiftKey);
      return;
    }
    var opener = event.target.closest('[data-hub-open]');
    if (opener) {
      var key = opener.getAttribute('data-hub-open');
      var section = slot(key);
      if (!section) return;
      if (section.hidden) { openPanel(key, true); syncCards(); syncUrl(); }
      else show(section);
      return;
    }
    var closer = event.target.closest('[data-hub-close]');
    if (closer) {
      var closing = closer.getAttribute('data-hub-close');
      closePanel(closing);
      syncCards();
      syncUrl();
      var back = card(closing);
      if (back) back.focus();
    }
  });

  // Shift+Enter / Shift+Space on a card: the keyboard's Shift+click.
  doc.addEventListener('keydown', function (event) {
    var button = event.target.closest && event.target.closest('[data-hub-card]');
    if (!button || !event.shiftKey || (event.key !== 'Enter' && event.key !== ' ')) return;
    event.preventDefault();
    if (event.repeat) return;
    // Space still clicks on key-up in some browsers: that click must not toggle again.
    if (event.key === ' ') button._skipClickUntil = Date.now() + 600;
    toggle(button.getAttribute('data-hub-card'), true);
  });
  doc.addEventListener('keyup', function (event) {
    var button = event.target.closest && event.target.closest('[data-hub-card]');
    if (button && event.key === ' ' && button._skipClickUntil) event.preventDefault();
  });

  /* ---- live parts: refresh unless someone is working in them ---------------------------- */
  function changed(control) {
    if (control.tagName === 'SELECT') {
      var initial = 0; // with no `selected` option a select starts on its first one
      Array.prototype.forEach.call(control.options, function (o, i) { if (o.defaultSelected) initial = i; });
      return control.selectedIndex !== initial;
    }
    return control.value !== control.defaultValue;
  }

  // Something typed or chosen in a form of the part (a refresh would throw it away).
  function dirty(part) {
    return Array.prototype.some.call(
      part.querySelectorAll('form input:not([type="hidden"]):not([type="checkbox"]), form select, form textarea'),
      changed);
  }

  function busy(part) {
    return Boolean(part.querySelector('[data-inline-editor]') ||
      part.querySelector('[data-rooms-item]:checked') ||
      part.hasAttribute('data-expanded') || dirty(part));
  }

  var ownChangeAt = {}; // live part id → when this page last changed something in it

  doc.addEventListener('htmx:beforeRequest', function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.closest || !elt.closest('[data-hub]')) return;
    var config = event.detail.requestConfig || {};
    var trigger = config.triggeringEvent;
    if (!trigger || trigger.type !== 'realtime') {
      if ((config.verb || 'get') !== 'get') {
        var changed = elt.closest('[data-realtime-topic]');
        if (changed && changed.id) ownChangeAt[changed.id] = Date.now();
      }
      return;
    }
    if (ownChangeAt[elt.id] && Date.now() - ownChangeAt[elt.id] < ECHO_MS) {
      event.preventDefault(); // the echo of the change this page just made (and already shows)
    } else if (busy(elt)) {
      event.preventDefault();
      elt._stale = true;
    }
  });

  function catchUp() {
    doc.querySelectorAll('[data-hub] [data-realtime-topic]').forEach(function (part) {
      if (part._stale && !busy(part) && window.htmx) {
        part._stale = false;
        window.htmx.trigger(part, 'realtime');
      }
    });
  }
  var catchUpTimer = null;
  function catchUpSoon() { clearTimeout(catchUpTimer); catchUpTimer = setTimeout(catchUp, 250); }
  ['htmx:afterSettle', 'focusout', 'change'].forEach(function (name) { doc.addEventListener(name, catchUpSoon); });

  // New content: the cards' open state and the bulk bar.
  doc.addEventListener('htmx:load', function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.closest || !hub()) return;
    if (elt.id === 'hub-cards' || elt.closest('#hub-cards')) syncCards();
    refreshRoomsBar();
  });

  // After adding a room the name field is ready for the next one (autofocus in the answer).
  doc.addEventListener('htmx:afterSettle', function (event) {
    var panel = doc.getElementById('rooms-panel');
    var field = panel && panel.querySelector('[autofocus]');
    if (field && event.detail.elt && (event.detail.elt === panel || !doc.contains(event.detail.elt) || panel.contains(event.detail.elt))) {
      field.removeAttribute('autofocus');
      field.focus();
    }
  });

  // "Show more" activity: a refresh would fold it back to the first page.
  doc.addEventListener('htmx:beforeRequest', function (event) {
    var more = event.detail.elt.closest && event.detail.elt.closest('.activity__more');
    var panel = more && more.closest('[data-hub-live]');
    if (panel) panel.setAttribute('data-expanded', '');
  });

  /* ---- rooms: selection and the bulk bar ------------------------------------------------- */
  function refreshRoomsBar() {
    var panel = doc.getElementById('rooms-panel');
    if (!panel) return;
    var bar = panel.querySelector('[data-rooms-bulk]');
    var items = Array.prototype.slice.call(panel.querySelectorAll('[data-rooms-item]'));
    var checked = items.filter(function (box) { return box.checked; });
    if (bar) {
      bar.hidden = checked.length === 0;
      var count = bar.querySelector('[data-rooms-count]');
      if (count) count.textContent = String(checked.length);
    }
    var all = panel.querySelector('[data-rooms-all]');
    if (all) {
      all.checked = items.length > 0 && checked.length === items.length;
      all.indeterminate = checked.length > 0 && checked.length < items.length;
    }
  }

  doc.addEventListener('change', function (event) {
    var target = event.target;
    if (target.matches('[data-rooms-all]')) {
      var panel = target.closest('#rooms-panel');
      panel.querySelectorAll('[data-rooms-item]').forEach(function (box) { box.checked = target.checked; });
      refreshRoomsBar();
    } else if (target.matches('[data-rooms-item]')) {
      refreshRoomsBar();
    }
  });

  doc.addEventListener('click', function (event) {
    if (!event.target.closest('[data-rooms-clear]')) return;
    doc.querySelectorAll('#rooms-panel [data-rooms-item]').forEach(function (box) { box.checked = false; });
    refreshRoomsBar();
    var all = doc.querySelector('#rooms-panel [data-rooms-all]');
    if (all) all.focus();
  });

  /* ---- the phase stepper scrolls on phones: keep the current phase in view ----------------- */
  function revealPhase(root) {
    var current = (root || doc).querySelector('.hub-phase [aria-current="step"]');
    var strip = current && current.closest('.hub-phase');
    if (!strip || strip.scrollWidth <= strip.clientWidth) return;
    var step = current.closest('li');
    var stripBox = strip.getBoundingClientRect();
    var stepBox = step.getBoundingClientRect();
    strip.scrollLeft += (stepBox.left + stepBox.width / 2) - (stripBox.left + stripBox.width / 2);
  }
  doc.addEventListener('htmx:load', function (event) {
    var elt = event.detail.elt;
    if (elt && elt.querySelector && (elt.matches('.hub-phase') || elt.querySelector('.hub-phase'))) revealPhase(elt.parentNode);
  });

  function start() { syncCards(); revealPhase(); }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})();
