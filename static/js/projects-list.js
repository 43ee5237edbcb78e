/* The projects list: the create side panel (#project-panel), row and card selection with the
 * bulk-action bar (every action asks first), the saved views menu, and not refreshing the list
 * under someone's hands (rows selected). The same pattern as contacts-list.js, with the
 * projects page's own ids, so both never act on each other's page.
 */
(function () {
  'use strict';

  var doc = document;
  var LIST_ID = 'projects-list';

  function toast(message, level) {
    doc.dispatchEvent(new CustomEvent('toast', { detail: { message: message, level: level || 'success' } }));
  }

  /* ---- side panel ------------------------------------------------------------------------ */
  function panel() { return doc.getElementById('project-panel'); }

  function openPanel() {
    var dialog = panel();
    if (dialog && !dialog.open && typeof dialog.showModal === 'function') dialog.showModal();
  }

  function loadPanel(url) {
    var body = doc.getElementById('project-panel-body');
    if (!body || !window.htmx) return;
    window.htmx.ajax('GET', url, { target: body, swap: 'innerHTML' });
  }

  doc.addEventListener('click', function (event) {
    if (event.target.closest('[data-project-panel-open]') && panel()) {
      openPanel(); // htmx loads the form into the panel (the link's hx-get)
      return;
    }
    var closer = event.target.closest('[data-project-panel-close]');
    if (closer) {
      var dialog = closer.closest('dialog') || panel();
      if (dialog && dialog.open) dialog.close();
      else window.location.href = closer.getAttribute('data-back-url') || '/projects';
      return;
    }
    if (event.target.closest('[data-project-panel-again]')) {
      var page = doc.querySelector('[data-base-new-url]');
      if (page) loadPanel(page.getAttribute('data-base-new-url'));
    }
  });

  // Focus the first field (or the first invalid one) when the form arrives in the panel.
  doc.addEventListener('htmx:afterSwap', function (event) {
    if (event.detail.target.id !== 'project-panel-body') return;
    var body = event.detail.target;
    var invalid = body.querySelector('[aria-invalid="true"]');
    if (invalid) {
      var details = invalid.closest('details');
      if (details) details.open = true;
    }
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (trigger && trigger.id === 'project-template') {
      var again = doc.getElementById('project-template');
      if (again) again.focus(); // switching the template keeps the focus where it was
      return;
    }
    var first = invalid || body.querySelector('input:not([type="hidden"]):not([disabled]), select, textarea, button');
    if (first) first.focus();
  });

  doc.addEventListener('DOMContentLoaded', function () {
    var page = doc.querySelector('[data-open-panel="project-panel"]');
    if (page) {
      openPanel();
      loadPanel(page.getAttribute('data-new-url'));
    }
  });

  /* ---- selection and the bulk bar --------------------------------------------------------- */
  // Only the checkboxes on screen: on phones the table's rows are drawn as cards instead.
  function visible(box) { return box.getClientRects().length > 0; }
  function all(selector) { return Array.prototype.slice.call(doc.querySelectorAll(selector)).filter(visible); }
  function items() { return all('[data-bulk-item]'); }

  function refreshBar() {
    var bar = doc.querySelector('[data-bulk-bar]');
    if (!bar) return;
    var boxes = items();
    var checked = boxes.filter(function (box) { return box.checked; });
    var selectAll = doc.querySelector('[data-select-all-input]');
    var everything = selectAll && selectAll.value === '1';
    var allButton = bar.querySelector('[data-bulk-select-all]');
    bar.hidden = checked.length === 0;
    var count = bar.querySelector('[data-bulk-count]');
    if (count) count.textContent = everything && allButton ? allButton.getAttribute('data-total') : checked.length;
    if (allButton) allButton.hidden = everything || checked.length !== boxes.length;
    doc.querySelectorAll('[data-bulk-all]').forEach(function (header) {
      header.checked = checked.length > 0 && checked.length === boxes.length;
      header.indeterminate = checked.length > 0 && checked.length < boxes.length;
    });
    if (!checked.length && selectAll) selectAll.value = '0';
  }

  doc.addEventListener('change', function (event) {
    var target = event.target;
    if (target.matches('[data-bulk-all]')) {
      items().forEach(function (box) { box.checked = target.checked; });
      refreshBar();
    } else if (target.matches('[data-bulk-item]')) {
      var selectAll = doc.querySelector('[data-select-all-input]');
      if (selectAll) selectAll.value = '0';
      refreshBar();
    } else if (target.matches('[data-bulk-action]')) {
      var form = doc.getElementById('bulk-form');
      var option = target.options[target.selectedIndex];
      var question = option && option.getAttribute('data-confirm');
      if (question) {
        form.setAttribute('data-confirm', question);
        form.setAttribute('data-confirm-label', option.textContent);
        form.setAttribute('data-confirm-variant', option.getAttribute('data-confirm-variant') || 'primary');
      } else {
        form.removeAttribute('data-confirm');
      }
    }
  });

  doc.addEventListener('click', function (event) {
    if (event.target.closest('[data-bulk-select-all]')) {
      doc.querySelector('[data-select-all-input]').value = '1';
      refreshBar();
      return;
    }
    if (event.target.closest('[data-bulk-clear]')) {
      doc.querySelectorAll('[data-bulk-item]').forEach(function (box) { box.checked = false; });
      refreshBar();
    }
  });

  doc.addEventListener('htmx:afterSwap', function (event) {
    var target = event.detail.target;
    if (target.id === LIST_ID || (target.closest && target.closest('#' + LIST_ID))) refreshBar();
  });

  // A realtime refresh waits while rows are selected (it would drop the selection).
  doc.addEventListener('htmx:beforeRequest', function (event) {
    var elt = event.detail.elt;
    if (!elt || elt.id !== LIST_ID) return;
    var trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    if (!trigger || trigger.type !== 'realtime') return;
    if (items().some(function (b) { return b.checked; })) event.preventDefault();
  });

  // A new sort column starts in its natural direction (newest first for the creation date),
  // set before htmx reads the values (capture phase).
  doc.addEventListener('change', function (event) {
    if (event.target.id !== 'projects-sort') return;
    var dir = doc.getElementById('projects-dir');
    if (dir) dir.value = event.target.value === 'created_at' ? 'desc' : 'asc';
  }, true);

  // Filtering leaves empty inputs (dates, custom fields) out of the URL: shorter links.
  doc.addEventListener('htmx:configRequest', function (event) {
    var elt = event.detail.elt;
    var form = elt && (elt.id === 'projects-filters' ? elt : elt.form);
    if (!form || form.id !== 'projects-filters' || event.detail.verb !== 'get') return;
    var params = event.detail.formData;
    if (!params || typeof params.getAll !== 'function') return;
    var keys = [];
    params.forEach(function (value, key) { if (keys.indexOf(key) < 0) keys.push(key); });
    keys.forEach(function (key) {
      if (params.getAll(key).every(function (v) { return v === ''; })) params.delete(key);
    });
  });

  /* ---- saved views ------------------------------------------------------------------------ */
  doc.addEventListener('submit', function (event) {
    if (event.target.id !== 'projects-save-form') return;
    var query = event.target.querySelector('[data-current-query]');
    if (query) query.value = window.location.search.replace(/^\?/, '');
  }, true);

  doc.addEventListener('click', function (event) {
    var copy = event.target.closest('[data-copy-url]');
    if (!copy) return;
    var done = function () { toast(copy.getAttribute('data-copied') || 'הקישור הועתק'); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(window.location.href).then(done, function () { window.prompt('', window.location.href); });
    } else {
      window.prompt('', window.location.href);
    }
  });
})();
