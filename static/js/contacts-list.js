/* The contacts list: the create side panel, row selection with the bulk-action bar, the saved
 * views menu, and not refreshing the list under someone's hands (an open editor or a selection).
 */
(function () {
  'use strict';

  var doc = document;

  function toast(message, level) {
    doc.dispatchEvent(new CustomEvent('toast', { detail: { message: message, level: level || 'success' } }));
  }

  /* ---- side panel ------------------------------------------------------------------------ */
  function panel() { return doc.getElementById('contact-panel'); }

  function openPanel() {
    var dialog = panel();
    if (dialog && !dialog.open && typeof dialog.showModal === 'function') dialog.showModal();
  }

  function loadPanel(url) {
    var body = doc.getElementById('contact-panel-body');
    if (!body || !window.htmx) return;
    window.htmx.ajax('GET', url, { target: body, swap: 'innerHTML' });
  }

  doc.addEventListener('click', function (event) {
    var opener = event.target.closest('[data-panel-open]');
    if (opener && panel()) {
      openPanel(); // htmx loads the form into the panel (the link's hx-get)
      return;
    }
    if (event.target.closest('[data-panel-close]')) {
      var dialog = event.target.closest('dialog') || panel();
      if (dialog && dialog.open) dialog.close();
      else window.location.href = event.target.closest('[data-panel-close]').getAttribute('data-back-url') || '/contacts';
      return;
    }
    if (event.target.closest('[data-panel-again]')) {
      var page = doc.querySelector('[data-new-url]');
      if (page) loadPanel(page.getAttribute('data-new-url'));
    }
  });

  // Focus the first field when the form arrives in the panel.
  doc.addEventListener('htmx:afterSwap', function (event) {
    if (event.detail.target.id !== 'contact-panel-body') return;
    var invalid = event.detail.target.querySelector('[aria-invalid="true"]');
    var first = invalid || event.detail.target.querySelector('input:not([type="hidden"]), select, textarea, button');
    if (first) first.focus();
  });

  doc.addEventListener('DOMContentLoaded', function () {
    var page = doc.querySelector('[data-open-panel="contact-panel"]');
    if (page) {
      openPanel();
      loadPanel(page.getAttribute('data-new-url'));
    }
  });

  /* ---- selection and the bulk bar --------------------------------------------------------- */
  function items() { return Array.prototype.slice.call(doc.querySelectorAll('[data-bulk-item]')); }

  function refreshBar() {
    var bar = doc.querySelector('[data-bulk-bar]');
    if (!bar) return;
    var all = items();
    var checked = all.filter(function (box) { return box.checked; });
    var selectAll = doc.querySelector('[data-select-all-input]');
    var everything = selectAll && selectAll.value === '1';
    bar.hidden = checked.length === 0;
    var count = bar.querySelector('[data-bulk-count]');
    var allButton = bar.querySelector('[data-bulk-select-all]');
    if (count) count.textContent = everything && allButton ? allButton.getAttribute('data-total') || checked.length : checked.length;
    if (allButton) allButton.hidden = everything || checked.length !== all.length;
    var header = doc.querySelector('[data-bulk-all]');
    if (header) {
      header.checked = checked.length > 0 && checked.length === all.length;
      header.indeterminate = checked.length > 0 && checked.length < all.length;
    }
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
        form.setAttribute('data-confirm-variant', 'danger');
      } else {
        form.removeAttribute('data-confirm');
      }
    }
  });

  doc.addEventListener('click', function (event) {
    var allButton = event.target.closest('[data-bulk-select-all]');
    if (allButton) {
      doc.querySelector('[data-select-all-input]').value = '1';
      var label = allButton.textContent;
      var match = label.match(/\d[\d,]*/);
      if (match) allButton.setAttribute('data-total', match[0]);
      refreshBar();
      return;
    }
    if (event.target.closest('[data-bulk-clear]')) {
      items().forEach(function (box) { box.checked = false; });
      refreshBar();
    }
  });

  // "Export the selection": a download of the chosen rows, not a POST.
  doc.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.matches || !form.matches('[data-bulk-form]')) return;
    var action = doc.querySelector('[data-bulk-action]');
    var option = action && action.options[action.selectedIndex];
    if (!option || option.value !== 'export') return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var url = new URL(option.getAttribute('data-export-url'), window.location.href);
    var everything = doc.querySelector('[data-select-all-input]').value === '1';
    if (everything) {
      new URLSearchParams(window.location.search).forEach(function (value, key) {
        if (key !== 'page' && key !== 'tab') url.searchParams.append(key, value);
      });
    } else {
      items().filter(function (b) { return b.checked; }).forEach(function (b) { url.searchParams.append('ids', b.value); });
    }
    window.location.href = url.toString();
  }, true);

  doc.addEventListener('htmx:afterSwap', function (event) {
    if (event.detail.target.id === 'contacts-list' || event.detail.target.closest && event.detail.target.closest('#contacts-list')) refreshBar();
  });

  // A realtime refresh waits while someone edits a cell or has rows selected.
  doc.addEventListener('htmx:beforeRequest', function (event) {
    var elt = event.detail.elt;
    if (!elt || elt.id !== 'contacts-list') return;
    var trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    if (!trigger || trigger.type !== 'realtime') return;
    var busy = elt.querySelector('[data-inline-editor]') || items().some(function (b) { return b.checked; });
    if (busy) {
      event.preventDefault();
      elt._stale = true;
    }
  });

  /* ---- saved views ------------------------------------------------------------------------ */
  doc.addEventListener('submit', function (event) {
    if (event.target.id !== 'contacts-save-form') return;
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
