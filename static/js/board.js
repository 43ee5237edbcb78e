/* The leads board (/contacts/leads): drag a card to another stage, the "lost" reason dialog,
 * focus after a move, and holding back live refreshes while the user is in the middle of one.
 *
 *   <div id="leads-board" data-realtime-topic="leads" hx-get=... hx-trigger="realtime">
 *     <ol class="lead-column__cards" data-stage="new">
 *       <li class="lead-card" id="lead-<id>" data-move-url="/contacts/<id>/stage" data-name>
 *         <form data-lead-form hx-post=...>  "convert" and the "move to…" menu (plain POST without JS)
 *   <dialog id="lost-dialog">  <textarea name="lost_reason">  buttons value="cancel" / "confirm"
 *
 * A drop posts stage + the new column's card ids in order (`order`); the server answers with the
 * board (422 with the board as it was when the move is refused, so the card goes back). Any
 * other failure puts the card back where it was and re-reads the board.
 */
(function () {
  'use strict';
  var doc = document;
  var BOARD_ID = 'leads-board';
  var dragging = false;     // a card is held (pressed) or being dragged
  var saving = 0;           // moves in flight: their answer re-renders the board
  var sortableActive = false;  // between Sortable's onStart and onEnd
  var staleTimer = null;
  var pendingFocus = null;  // id to focus once the board comes back
  var lostDialog = doc.getElementById('lost-dialog');
  var asking = null;        // { onConfirm, onCancel } while the reason dialog is open

  function board() { return doc.getElementById(BOARD_ID); }

  function busy() {
    var b = board();
    return dragging || saving > 0 || !!asking ||
      !!(b && b.querySelector('[data-lead-move][open]'));
  }

  function setSortablesDisabled(disabled) {
    var b = board();
    if (!b) return;
    Array.prototype.forEach.call(b.querySelectorAll('.lead-column__cards'), function (list) {
      if (list._sortable) list._sortable.option('disabled', disabled);
    });
  }

  // Live refresh: wait until the user is done (drag, dialog, open menu, a move in flight).
  function refreshWhenIdle() {
    if (staleTimer) return;
    staleTimer = setInterval(function () {
      if (busy()) return;
      clearInterval(staleTimer);
      staleTimer = null;
      var b = board();
      if (b && window.htmx) window.htmx.trigger(b, 'realtime');
    }, 400);
  }

  function isLiveRefresh(detail) {
    var trigger = detail && (detail.triggeringEvent ||
      (detail.requestConfig && detail.requestConfig.triggeringEvent));
    return !!(detail && detail.elt && detail.elt.id === BOARD_ID && trigger && trigger.type === 'realtime');
  }

  // Not sent while busy...
  doc.addEventListener('htmx:confirm', function (event) {
    if (isLiveRefresh(event.detail) && busy()) {
      event.preventDefault();
      refreshWhenIdle();
    }
  });
  // ...and not swapped in if the user started something while it was on its way.
  doc.addEventListener('htmx:beforeSwap', function (event) {
    if (isLiveRefresh(event.detail) && busy()) {
      event.detail.shouldSwap = false;
      refreshWhenIdle();
    }
  });

  // A press on a card may become a drag: hold refreshes from the press on, not only once
  // Sortable reports the drag start (the card must not be replaced under the pointer).
  doc.addEventListener('pointerdown', function (event) {
    var card = event.target.closest && event.target.closest('.lead-card');
    if (card && !event.target.closest('a, button, input, select, textarea, summary, .lead-card__stages') &&
        card.closest('#' + BOARD_ID)) {
      dragging = true;
    }
  }, true);
  ['pointerup', 'pointercancel', 'dragend', 'drop'].forEach(function (type) {
    doc.addEventListener(type, function () {
      // Sortable's own onEnd clears it after a real drag; this covers a press without one.
      setTimeout(function () { if (!sortableActive) dragging = false; }, 0);
    }, true);
  });

  /* -- Moves --------------------------------------------------------------------------------- */

  // Post a move for `card`; `revert` puts it back if the request fails outright.
  function send(card, values, revert) {
    if (!window.htmx) return;
    saving += 1;
    setSortablesDisabled(true);
    pendingFocus = card.id + '-move';
    card.addEventListener('htmx:afterRequest', function (event) {
      saving = Math.max(0, saving - 1);
      if (!saving) setSortablesDisabled(false);
      if (!event.detail.successful) {
        if (revert) revert();
        pendingFocus = null;
        refreshWhenIdle();  // whatever happened, show the board as the server has it
      }
    }, { once: true });
    window.htmx.ajax('POST', card.getAttribute('data-move-url'), {
      source: card,
      target: '#' + BOARD_ID,
      swap: 'outerHTML',
      values: values
    });
  }

  function cardIds(list) {
    return Array.prototype.map.call(list.querySelectorAll('.lead-card'), function (c) {
      return c.getAttribute('data-id');
    });
  }

  function askReason(card, onConfirm, onCancel) {
    if (!lostDialog || typeof lostDialog.showModal !== 'function') {
      var typed = window.prompt(lostDialog ? lostDialog.querySelector('h2').textContent : '');
      if (typed && typed.trim()) { onConfirm(typed.trim()); } else { onCancel(); }
      return;
    }
    var name = lostDialog.querySelector('[data-lost-name]');
    name.textContent = (name.getAttribute('data-template') || '{name}')
      .split('{name}').join(card.getAttribute('data-name') || '');
    var reason = lostDialog.querySelector('textarea');
    reason.value = '';
    reason.setCustomValidity('');
    asking = { onConfirm: onConfirm, onCancel: onCancel, card: card };
    lostDialog.returnValue = '';
    lostDialog.showModal();
    reason.focus();
  }

  if (lostDialog) {
    var reasonBox = lostDialog.querySelector('textarea');
    reasonBox.addEventListener('input', function () { reasonBox.setCustomValidity(''); });
    lostDialog.querySelector('form').addEventListener('submit', function (event) {
      // Spaces only would pass `required`: ask again rather than post an empty reason.
      if (event.submitter && event.submitter.value === 'confirm' && !reasonBox.value.trim()) {
        event.preventDefault();
        reasonBox.value = '';
        reasonBox.reportValidity();
      }
    });
    lostDialog.addEventListener('click', function (event) {
      if (event.target === lostDialog) lostDialog.close('cancel');  // the backdrop
    });
    // Esc, Cancel, the backdrop and Confirm all end here.
    lostDialog.addEventListener('close', function () {
      var current = asking;
      asking = null;
      if (!current) return;
      var text = reasonBox.value.trim();
      if (lostDialog.returnValue === 'confirm' && text) {
        current.onConfirm(text);
      } else {
        current.onCancel();
      }
    });
  }

  /* -- Dragging ------------------------------------------------------------------------------ */

  function onDrop(event) {
    dragging = false;
    sortableActive = false;
    var card = event.item;
    var from = event.from;
    var to = event.to;
    if (from === to && event.oldIndex === event.newIndex) return;
    var stage = to.getAttribute('data-stage');
    var revert = function () {
      if (card.parentNode) card.parentNode.removeChild(card);
      from.insertBefore(card, from.children[event.oldIndex] || null);
    };
    var move = function (extra) {
      var values = { stage: stage, order: cardIds(to) };
      if (extra) values.lost_reason = extra;
      send(card, values, revert);
    };
    if (stage === 'lost' && from !== to) {
      askReason(card, move, function () {
        revert();
        var button = doc.getElementById(card.id + '-move');
        if (button) button.focus();
      });
    } else {
      move();
    }
  }

  function init() {
    var b = board();
    if (!b || typeof window.Sortable !== 'function') return;
    Array.prototype.forEach.call(b.querySelectorAll('.lead-column__cards'), function (list) {
      if (list._sortable) return;
      list._sortable = window.Sortable.create(list, {
        group: 'leads',
        draggable: '.lead-card',
        // Links, buttons and the menu keep their clicks; on touch screens a press-and-hold
        // starts a drag, so a swipe still scrolls the columns.
        filter: 'a, button, input, select, textarea, summary, .lead-card__stages',
        preventOnFilter: false,
        delay: 200,
        delayOnTouchOnly: true,
        animation: 150,
        ghostClass: 'lead-card--ghost',
        chosenClass: 'lead-card--chosen',
        dragClass: 'lead-card--drag',
        onStart: function () { dragging = true; sortableActive = true; },
        onEnd: onDrop
      });
    });
  }

  /* -- Keyboard: the card's menu and "convert" button --------------------------------------- */

  // Capture phase: runs before htmx's own submit handler on the form. "Lost" asks for the
  // reason first.
  doc.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-lead-form')) return;
    var card = form.closest('.lead-card');
    if (!card) return;
    var submitter = event.submitter;
    pendingFocus = card.id + '-move';
    if (!submitter || submitter.value !== 'lost') return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var menu = form.closest('[data-lead-move]');
    var button = menu && menu.querySelector('summary');
    if (menu) menu.open = false;
    askReason(card, function (reason) {
      send(card, { stage: 'lost', lost_reason: reason }, null);
    }, function () {
      pendingFocus = null;
      if (button) button.focus();
    });
  }, true);

  // Forms inside the board count as moves in flight too (no refresh in between). The answer
  // replaces the board, so the form is detached by then: listen on the form itself (events on
  // a detached element do not bubble up to the document).
  doc.addEventListener('htmx:beforeRequest', function (event) {
    var form = event.detail.elt;
    if (!form || !form.hasAttribute || !form.hasAttribute('data-lead-form')) return;
    saving += 1;
    form.addEventListener('htmx:afterRequest', function (done) {
      saving = Math.max(0, saving - 1);
      if (!done.detail.successful) pendingFocus = null;
    }, { once: true });
  });

  // The "move to…" menus (<details>): one open at a time; Esc or a click elsewhere closes it.
  doc.addEventListener('toggle', function (event) {
    var opened = event.target;
    if (!opened.matches || !opened.matches('[data-lead-move]') || !opened.open) return;
    Array.prototype.forEach.call(doc.querySelectorAll('[data-lead-move][open]'), function (other) {
      if (other !== opened) other.open = false;
    });
  }, true);
  doc.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' || !event.target.closest) return;
    var menu = event.target.closest('[data-lead-move][open]');
    if (!menu) return;
    event.preventDefault();
    menu.open = false;
    menu.querySelector('summary').focus();
  });
  doc.addEventListener('click', function (event) {
    Array.prototype.forEach.call(doc.querySelectorAll('[data-lead-move][open]'), function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });

  /* -- After the board is swapped: drag again, and put focus back ----------------------------- */

  var focusBeforeSwap = null;
  doc.addEventListener('htmx:beforeSwap', function (event) {
    var b = board();
    var active = doc.activeElement;
    focusBeforeSwap = b && active && active.id && b.contains(active) ? active.id : null;
  });

  doc.addEventListener('htmx:afterSettle', function (event) {
    var settled = event.detail.elt;
    if (!settled || settled.id !== BOARD_ID) return;
    init();
    var id = pendingFocus || focusBeforeSwap;
    pendingFocus = null;
    focusBeforeSwap = null;
    if (!id) return;
    var el = doc.getElementById(id);
    // The moved card may have left the board (a filter): fall back to its card, then nothing.
    if (!el && id.slice(-5) === '-move') el = doc.getElementById(id.slice(0, -5));
    if (el) {
      el.focus({ preventScroll: false });
      if (el.scrollIntoView) el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  });

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', init);
  else init();
})();
