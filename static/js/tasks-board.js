/* The tasks board (/tasks?view=board): drag a card to another status column (or within its
 * column to reorder), focus after a move, and no live refresh while a card is held or a move is
 * on its way. Same pattern as the leads board (board.js), without the "lost" dialog.
 *
 *   <div id="tasks-board" data-tasks-live hx-get=... hx-trigger="realtime, tasks-changed from:body">
 *     <ol class="task-column__cards" data-status="todo">
 *       <li class="task-card" id="task-card-<id>" data-id data-move-url="/tasks/<id>/move?view=board...">
 *
 * A drop posts `status` and the target column's card ids in order (`order`); the answer is the
 * board again, or 422 with the board as stored (the card goes back) and the reason in a toast.
 */
(function () {
  'use strict';
  var doc = document;
  var BOARD_ID = 'tasks-board';
  var dragging = false;
  var sortableActive = false;
  var saving = 0;
  var pendingFocus = null;

  function board() { return doc.getElementById(BOARD_ID); }

  // tasks.js asks before a live refresh.
  window.StudioTasksBoardBusy = function () { return dragging || saving > 0; };

  function setDisabled(disabled) {
    var b = board();
    if (!b) return;
    Array.prototype.forEach.call(b.querySelectorAll('.task-column__cards'), function (list) {
      if (list._sortable) list._sortable.option('disabled', disabled);
    });
  }

  // A press on a card may become a drag: hold refreshes from the press on.
  doc.addEventListener('pointerdown', function (event) {
    var card = event.target.closest && event.target.closest('.task-card');
    if (card && card.closest('#' + BOARD_ID) &&
        !event.target.closest('a, button, input, select, textarea, summary, .task-card__statuses')) {
      dragging = true;
    }
  }, true);
  ['pointerup', 'pointercancel', 'dragend', 'drop'].forEach(function (type) {
    doc.addEventListener(type, function () {
      setTimeout(function () { if (!sortableActive) dragging = false; }, 0);
    }, true);
  });

  function cardIds(list) {
    return Array.prototype.map.call(list.querySelectorAll('.task-card'), function (c) {
      return c.getAttribute('data-id');
    });
  }

  function send(card, values, revert) {
    if (!window.htmx) return;
    saving += 1;
    setDisabled(true);
    pendingFocus = card.id + '-move';
    card.addEventListener('htmx:afterRequest', function (event) {
      saving = Math.max(0, saving - 1);
      if (!saving) setDisabled(false);
      // 422: the board as stored was swapped in (the card is back); anything else failed
      // outright: put the card back and re-read the board.
      if (!event.detail.successful && event.detail.xhr && event.detail.xhr.status !== 422) {
        if (revert) revert();
        pendingFocus = null;
        var b = board();
        if (b) window.htmx.trigger(b, 'realtime');
      }
    }, { once: true });
    window.htmx.ajax('POST', card.getAttribute('data-move-url'), {
      source: card,
      target: '#' + BOARD_ID,
      swap: 'outerHTML',
      values: values
    });
  }

  function onDrop(event) {
    dragging = false;
    sortableActive = false;
    var card = event.item;
    var from = event.from;
    var to = event.to;
    if (from === to && event.oldIndex === event.newIndex) return;
    var revert = function () {
      if (card.parentNode) card.parentNode.removeChild(card);
      from.insertBefore(card, from.children[event.oldIndex] || null);
    };
    send(card, { status: to.getAttribute('data-status'), order: cardIds(to) }, revert);
  }

  function init() {
    var b = board();
    if (!b || typeof window.Sortable !== 'function') return;
    Array.prototype.forEach.call(b.querySelectorAll('.task-column__cards'), function (list) {
      if (list._sortable) return;
      list._sortable = window.Sortable.create(list, {
        group: 'tasks',
        draggable: '.task-card',
        filter: 'a, button, input, select, textarea, summary, .task-card__statuses',
        preventOnFilter: false,
        delay: 200,
        delayOnTouchOnly: true,
        animation: 150,
        ghostClass: 'task-card--ghost',
        chosenClass: 'task-card--chosen',
        dragClass: 'task-card--drag',
        onStart: function () { dragging = true; sortableActive = true; },
        onEnd: onDrop
      });
    });
  }

  // The "move to…" forms count as moves in flight, and put focus back on the card's menu.
  doc.addEventListener('htmx:beforeRequest', function (event) {
    var form = event.detail.elt;
    if (!form || !form.hasAttribute || !form.hasAttribute('data-task-move-form')) return;
    var card = form.closest('.task-card');
    if (!card || !card.closest('#' + BOARD_ID)) return;
    saving += 1;
    pendingFocus = card.id + '-move';
    form.addEventListener('htmx:afterRequest', function () {
      saving = Math.max(0, saving - 1);
    }, { once: true });
  });

  doc.addEventListener('htmx:afterSettle', function (event) {
    var settled = event.detail.elt;
    if (!settled || settled.id !== BOARD_ID) return;
    init();
    var id = pendingFocus;
    pendingFocus = null;
    if (!id) return;
    var el = doc.getElementById(id) || doc.getElementById(id.slice(0, -5));
    if (el) {
      el.focus({ preventScroll: false });
      if (el.scrollIntoView) el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  });

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', init);
  else init();
})();
