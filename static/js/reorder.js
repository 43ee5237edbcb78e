/* Drag-and-drop reordering (SortableJS) with a keyboard alternative, saved through htmx.
 *
 *   <form id="x-order" hx-post="/.../order" hx-trigger="reorder" hx-target="#x" hx-swap="outerHTML">
 *   <tbody data-reorder="#x-order">
 *     <tr data-reorder-item> <span data-reorder-handle>…</span>
 *       <input type="hidden" name="order" value="<id>" form="x-order"> …
 *
 * Dragging a row by its handle, or Alt+ArrowUp / Alt+ArrowDown while focus is inside a row,
 * moves the row; the form then posts the ids in their new order (DOM order) and the server
 * answers with the re-rendered list. Without JavaScript the rows' up/down buttons post instead.
 */
(function () {
  'use strict';
  var doc = document;
  var pendingFocus = null;
  var saving = false;  // a save is in flight: its answer re-renders the list
  var SETTLE_MS = 350;  // quick successive moves are sent as one save

  // Moves made while a save is in flight would be lost when its answer replaces the list,
  // so they wait: saves are debounced, and moving is paused until the answer has arrived.
  function save(container) {
    clearTimeout(container._saveTimer);
    container._saveTimer = setTimeout(function () {
      var form = doc.querySelector(container.getAttribute('data-reorder'));
      if (!form || !window.htmx) return;
      saving = true;
      if (container._sortable) container._sortable.option('disabled', true);
      window.htmx.trigger(form, 'reorder');
    }, SETTLE_MS);
  }

  function init(root) {
    var scope = root && root.querySelectorAll ? root : doc;
    var lists = Array.prototype.slice.call(scope.querySelectorAll('[data-reorder]'));
    if (scope.matches && scope.matches('[data-reorder]')) lists.push(scope);
    lists.forEach(function (container) {
      if (container._sortable || typeof window.Sortable !== 'function') return;
      container._sortable = window.Sortable.create(container, {
        handle: '[data-reorder-handle]',
        draggable: '[data-reorder-item]',
        animation: 150,
        onEnd: function (event) {
          if (event.oldIndex !== event.newIndex) save(container);
        }
      });
    });
  }

  doc.addEventListener('keydown', function (event) {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    var row = event.target.closest && event.target.closest('[data-reorder-item]');
    var container = row && row.closest('[data-reorder]');
    if (!container) return;
    event.preventDefault();
    if (saving) return;
    var sibling = event.key === 'ArrowUp' ? row.previousElementSibling : row.nextElementSibling;
    while (sibling && !sibling.hasAttribute('data-reorder-item')) {
      sibling = event.key === 'ArrowUp' ? sibling.previousElementSibling : sibling.nextElementSibling;
    }
    if (!sibling) return;
    if (event.key === 'ArrowUp') container.insertBefore(row, sibling);
    else container.insertBefore(sibling, row);
    // Keep focus on the same control after the list is re-rendered.
    pendingFocus = event.target.id || row.id;
    event.target.focus();
    save(container);
  });

  // The save's answer has arrived (or failed): moving is possible again. (The form that sent
  // it may already be replaced, so any finished request ends the pause.)
  function resume() {
    if (saving) {
      saving = false;
      doc.querySelectorAll('[data-reorder]').forEach(function (container) {
        if (container._sortable) container._sortable.option('disabled', false);
      });
    }
  }
  doc.addEventListener('htmx:afterRequest', resume);
  doc.addEventListener('htmx:sendError', resume);

  doc.addEventListener('htmx:afterSettle', function (event) {
    init(event.detail.elt);
    if (pendingFocus) {
      var el = doc.getElementById(pendingFocus);
      pendingFocus = null;
      if (el) {
        if (el.disabled) el = el.closest('[data-reorder-item]').querySelector('button:not([disabled])') || el;
        if (!el.matches('a, button, input, select, textarea, [tabindex]')) el.setAttribute('tabindex', '-1');
        el.focus();
      }
    }
  });

  // Up/down buttons: keep focus on the button that was pressed once the list comes back.
  doc.addEventListener('htmx:beforeRequest', function (event) {
    var submitter = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent &&
      event.detail.requestConfig.triggeringEvent.submitter;
    if (submitter && submitter.id && submitter.closest('[data-reorder-item]')) pendingFocus = submitter.id;
  });

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', function () { init(doc); });
  else init(doc);
})();
