/* Tasks (/tasks and the project hub's tasks panel): the task side panel, row selection with
 * the bulk bar, and live refreshes that wait until the user is done.
 *
 *   <div id="tasks-list" data-tasks-live data-task-bulk hx-get=... hx-trigger="realtime, tasks-changed from:body">
 *     <a data-task-open hx-get="/tasks/<id>" hx-target="#task-panel-body">   opens the side panel
 *     <input type="checkbox" data-task-select form="tasks-bulk-form">         a row's selection
 *     <div data-task-bulk-bar hidden>                                        the bulk bar
 *   <dialog id="task-panel"> <div id="task-panel-body">                      the side panel
 *
 * A live container ([data-tasks-live]) is not refreshed while a cell editor is open in it,
 * rows are selected, a "move to" menu is open, or the side panel is open; it refreshes once the
 * user is done. Focus stays on the same control across refreshes (ids are stable).
 */
(function () {
  'use strict';
  if (window.StudioTasks) return;  // included once per page
  window.StudioTasks = true;
  var doc = document;

  /* ---- the side panel ---------------------------------------------------------------------- */
  function panel() { return doc.getElementById('task-panel'); }

  function openPanel() {
    var dialog = panel();
    if (dialog && !dialog.open && typeof dialog.showModal === 'function') dialog.showModal();
  }

  function loadPanel(url) {
    var body = doc.getElementById('task-panel-body');
    if (!body || !window.htmx || !url) return;
    openPanel();
    window.htmx.ajax('GET', url, { target: body, swap: 'innerHTML' });
  }

  doc.addEventListener('click', function (event) {
    var opener = event.target.closest('[data-task-open]');
    if (opener && panel()) {
      openPanel();  // htmx loads the task into the panel (the link's hx-get)
      return;
    }
    if (event.target.closest('[data-task-panel-close]')) {
      var dialog = event.target.closest('dialog') || panel();
      if (dialog && dialog.open) dialog.close();
    }
  });

  // A click on the backdrop closes the panel.
  doc.addEventListener('click', function (event) {
    var dialog = panel();
    if (dialog && event.target === dialog) dialog.close();
  });

  doc.addEventListener('close', function (event) {
    if (event.target === panel()) refreshStale();
  }, true);

  doc.addEventListener('htmx:afterSwap', function (event) {
    var target = event.detail.target;
    if (!target || target.id !== 'task-panel-body') return;
    if (target.querySelector('[data-task-deleted]')) {
      var dialog = panel();
      if (dialog && dialog.open) dialog.close();
      return;
    }
    if (target.contains(doc.activeElement)) return;
    var invalid = target.querySelector('[aria-invalid="true"]');
    var title = target.querySelector('#task-title');
    var first = invalid || title;
    if (first) first.focus();
  });

  // After a delete inside the panel, the detail (#task-detail) is replaced by the notice.
  doc.addEventListener('htmx:afterSettle', function (event) {
    var elt = event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute('data-task-deleted')) {
      var dialog = panel();
      if (dialog && dialog.open) dialog.close();
    }
  });

  function openFromPage() {
    var page = doc.querySelector('[data-open-task-url]');
    var url = page && page.getAttribute('data-open-task-url');
    if (url) loadPanel(url);
  }

  /* ---- live refresh: not under the user's hands --------------------------------------------- */
  // `ownChange`: a refresh after this page's own action (tasks-changed): typing elsewhere in
  // the container does not hold it back (the quick add that caused it still holds its text).
  function busy(container, ownChange) {
    var dialog = panel();
    if (dialog && dialog.open) return true;
    if (container.querySelector('[data-inline-editor], [data-task-move][open]')) return true;
    if (container.querySelector('[data-task-select]:checked')) return true;
    if (window.StudioTasksBoardBusy && window.StudioTasksBoardBusy()) return true;
    if (ownChange) return false;
    var active = doc.activeElement;
    return !!(active && container.contains(active) && active.matches('input[type="text"], input:not([type]), textarea') && active.value);
  }

  var staleTimer = null;
  function refreshStale() {
    if (staleTimer) return;
    staleTimer = setInterval(function () {
      var stale = Array.prototype.filter.call(doc.querySelectorAll('[data-tasks-live]'), function (c) { return c._stale; });
      if (!stale.length) { clearInterval(staleTimer); staleTimer = null; return; }
      stale.forEach(function (container) {
        if (busy(container, false)) return;
        container._stale = false;
        // Not "realtime": the hub skips those right after this page's own change (its echo).
        if (window.htmx) window.htmx.trigger(container, 'tasks-refresh');
      });
    }, 400);
  }

  // The kind of live refresh a request is ("realtime", "tasks-changed", "tasks-refresh"), or null.
  function liveRefresh(detail) {
    var elt = detail && detail.elt;
    if (!elt || !elt.hasAttribute || !elt.hasAttribute('data-tasks-live')) return null;
    var trigger = detail.triggeringEvent || (detail.requestConfig && detail.requestConfig.triggeringEvent);
    var kind = trigger && trigger.type;
    return ['realtime', 'tasks-changed', 'tasks-refresh'].indexOf(kind) !== -1 ? kind : null;
  }

  doc.addEventListener('htmx:confirm', function (event) {
    var kind = liveRefresh(event.detail);
    if (kind && busy(event.detail.elt, kind !== 'realtime')) {
      event.preventDefault();
      event.detail.elt._stale = true;
      refreshStale();
    }
  });
  doc.addEventListener('htmx:beforeSwap', function (event) {
    var kind = liveRefresh(event.detail);
    if (kind && busy(event.detail.elt, kind !== 'realtime')) {
      event.detail.shouldSwap = false;
      event.detail.elt._stale = true;
      refreshStale();
    }
  });

  /* ---- focus stays where it was across a swap ----------------------------------------------- */
  var focusId = null;
  doc.addEventListener('htmx:beforeSwap', function (event) {
    var target = event.detail.target;
    var active = doc.activeElement;
    focusId = target && active && active.id && target.contains(active) ? active.id : null;
  });
  doc.addEventListener('htmx:afterSettle', function () {
    if (!focusId) return;
    var el = doc.getElementById(focusId);
    focusId = null;
    if (el && (doc.activeElement === doc.body || !doc.activeElement)) el.focus();
  });

  /* ---- selection and the bulk bar ----------------------------------------------------------- */
  function scopeOf(el) { return el.closest('[data-task-bulk]') || doc; }
  function items(scope) { return Array.prototype.slice.call(scope.querySelectorAll('[data-task-select]')); }

  function refreshBar(scope) {
    var bar = scope.querySelector('[data-task-bulk-bar]');
    if (!bar) return;
    var all = items(scope);
    var checked = all.filter(function (box) { return box.checked; });
    var everythingInput = scope.querySelector('[data-task-select-everything]');
    var everything = everythingInput && everythingInput.value === '1';
    var everythingButton = bar.querySelector('[data-task-bulk-everything]');
    bar.hidden = checked.length === 0;
    var count = bar.querySelector('[data-task-bulk-count]');
    if (count) count.textContent = everything && everythingButton ? everythingButton.getAttribute('data-total') : checked.length;
    if (everythingButton) everythingButton.hidden = everything || checked.length !== all.length;
    Array.prototype.forEach.call(scope.querySelectorAll('[data-task-select-all]'), function (header) {
      var boxes = items(header.closest('table'));
      var on = boxes.filter(function (b) { return b.checked; }).length;
      header.checked = on > 0 && on === boxes.length;
      header.indeterminate = on > 0 && on < boxes.length;
    });
    if (!checked.length && everythingInput) everythingInput.value = '0';
  }

  doc.addEventListener('change', function (event) {
    var target = event.target;
    if (target.matches('[data-task-select-all]')) {
      items(target.closest('table')).forEach(function (box) { box.checked = target.checked; });
      refreshBar(scopeOf(target));
    } else if (target.matches('[data-task-select]')) {
      var scope = scopeOf(target);
      var everything = scope.querySelector('[data-task-select-everything]');
      if (everything) everything.value = '0';
      refreshBar(scope);
    } else if (target.matches('[data-task-bulk-action]')) {
      var form = scopeOf(target).querySelector('[data-task-bulk-form]');
      var option = target.options[target.selectedIndex];
      var question = option && option.getAttribute('data-confirm');
      if (!form) return;
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
    var everythingButton = event.target.closest('[data-task-bulk-everything]');
    if (everythingButton) {
      var scope = scopeOf(everythingButton);
      scope.querySelector('[data-task-select-everything]').value = '1';
      refreshBar(scope);
      return;
    }
    var clear = event.target.closest('[data-task-bulk-clear]');
    if (clear) {
      var s = scopeOf(clear);
      items(s).forEach(function (box) { box.checked = false; });
      refreshBar(s);
    }
  });

  /* ---- "move to" menus (<details>): one open at a time, Esc closes -------------------------- */
  doc.addEventListener('toggle', function (event) {
    var opened = event.target;
    if (!opened.matches || !opened.matches('[data-task-move]') || !opened.open) return;
    Array.prototype.forEach.call(doc.querySelectorAll('[data-task-move][open]'), function (other) {
      if (other !== opened) other.open = false;
    });
  }, true);
  doc.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' || !event.target.closest) return;
    var menu = event.target.closest('[data-task-move][open], .task-checklist__edit[open]');
    if (!menu) return;
    event.preventDefault();
    event.stopPropagation();  // not the side panel's Esc
    menu.open = false;
    menu.querySelector('summary').focus();
  });
  doc.addEventListener('click', function (event) {
    Array.prototype.forEach.call(doc.querySelectorAll('[data-task-move][open]'), function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', openFromPage);
  else openFromPage();
})();
