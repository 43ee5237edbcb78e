/*
 * Studio OS: the small amount of JavaScript the pages share. No framework, no build step.
 *
 * Loaded with `defer` after htmx and its ws extension (see templates/base.html), so the DOM is
 * parsed when this runs. Every listener is delegated from `document`, so content that htmx swaps
 * in later works without re-initialising anything.
 *
 * The Content-Security-Policy forbids inline scripts and on* attributes: behaviour is attached
 * here through data-* attributes:
 *   [data-toast] / [data-toast-close]       toasts in #toasts (flash messages, HX-Trigger "toast")
 *   form[data-confirm]                      ask in #confirm-dialog before submitting
 *   [hx-confirm] (+ data-confirm-*)         same dialog for htmx requests (htmx:confirm)
 *   [data-drawer] / [data-drawer-open|close]  the sidebar as an off-canvas drawer on phones
 *   [data-menu] [data-menu-button] [data-menu-panel]  dropdowns (user menu, studio switcher)
 *   [data-autosubmit]                       submit the form when the control changes
 *
 * A small API for other scripts: window.StudioOS.toast(message, level).
 */
(function () {
  'use strict';

  var doc = document;
  var TOAST_MS = 5000;
  var MOBILE = window.matchMedia('(max-width: 639.98px)');
  var FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), ' +
    'select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

  /* UI strings come translated from the server (data-msg-* on <body>); Hebrew is the fallback. */
  function msg(name, fallback) {
    return (doc.body && doc.body.getAttribute('data-msg-' + name)) || fallback;
  }

  function visibleFocusables(root) {
    return Array.prototype.filter.call(root.querySelectorAll(FOCUSABLE), function (el) {
      return !el.hidden && el.getClientRects().length > 0;
    });
  }

  /* Keep Tab / Shift+Tab inside `root` (drawer, dialog). */
  function trapTab(event, root) {
    if (event.key !== 'Tab') return;
    var items = visibleFocusables(root);
    if (!items.length) return;
    var first = items[0];
    var last = items[items.length - 1];
    if (event.shiftKey && (doc.activeElement === first || !root.contains(doc.activeElement))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && doc.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  function submitForm(form, submitter) {
    // requestSubmit() fires "submit" (so htmx and our confirm handler see it) and runs validation;
    // form.submit() would skip both.
    if (typeof form.requestSubmit === 'function') {
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    } else {
      form.submit();
    }
  }

  /* ------------------------------------------------------------------------------------------
   * CSRF: every htmx request carries the token from <meta name="csrf-token"> (Flask-WTF reads
   * the X-CSRFToken header), so hx-post/hx-delete need no hidden input.
   * ---------------------------------------------------------------------------------------- */
  doc.addEventListener('htmx:configRequest', function (event) {
    var meta = doc.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) {
      event.detail.headers['X-CSRFToken'] = meta.content;
    }
  });

  /* ------------------------------------------------------------------------------------------
   * Toasts
   * ---------------------------------------------------------------------------------------- */
  var LEVELS = { success: 'success', error: 'error', danger: 'error', warning: 'warning', info: 'info', message: 'info' };

  function dismissToast(toast) {
    if (!toast || toast.classList.contains('is-leaving')) return;
    clearTimeout(toast._timer);
    toast.classList.add('is-leaving');
    // Remove after the exit animation; the timeout covers reduced motion (no animationend).
    var remove = function () { if (toast.parentNode) toast.parentNode.removeChild(toast); };
    toast.addEventListener('animationend', remove, { once: true });
    setTimeout(remove, 400);
  }

  function startTimer(toast) {
    clearTimeout(toast._timer);
    if (toast.hasAttribute('data-toast-sticky')) return;
    toast._timer = setTimeout(function () { dismissToast(toast); }, toast._remaining || TOAST_MS);
    toast._started = Date.now();
  }

  function initToast(toast) {
    if (toast._init) return;
    toast._init = true;
    toast._remaining = TOAST_MS;
    // Pause while the pointer or focus is on the toast, so it can be read (WCAG 2.2.1).
    var pause = function () {
      clearTimeout(toast._timer);
      toast._remaining = Math.max(1500, (toast._remaining || TOAST_MS) - (Date.now() - (toast._started || Date.now())));
    };
    toast.addEventListener('mouseenter', pause);
    toast.addEventListener('focusin', pause);
    toast.addEventListener('mouseleave', function () { startTimer(toast); });
    toast.addEventListener('focusout', function (e) {
      if (!toast.contains(e.relatedTarget)) startTimer(toast);
    });
    startTimer(toast);
  }

  // An undo button in the toast: posts the signed token back to `undo.url` (app/core/undo.py).
  function addUndo(toast, undo) {
    var button = doc.createElement('button');
    button.type = 'button';
    button.className = 'btn btn--ghost btn--sm toast__action';
    button.textContent = msg('undo', 'ביטול הפעולה');
    button.addEventListener('click', function () {
      button.disabled = true;
      window.htmx.ajax('POST', undo.url, { values: { token: undo.token }, swap: 'none' });
      dismissToast(toast);
    });
    toast.insertBefore(button, toast.querySelector('[data-toast-close]'));
  }

  function showToast(message, level, undo) {
    var region = doc.getElementById('toasts');
    var tpl = doc.getElementById('toast-template');
    if (!region || !tpl || !message) return null;
    level = LEVELS[level] || 'info';
    var toast = tpl.content.firstElementChild.cloneNode(true);
    toast.classList.add('toast--' + level);
    if (level === 'error') toast.setAttribute('role', 'alert');
    toast.querySelector('.toast__message').textContent = String(message);
    var icon = doc.querySelector('#toast-icons [data-level="' + level + '"]');
    if (icon) toast.querySelector('.toast__icon').innerHTML = icon.innerHTML;
    if (undo && undo.url && window.htmx) addUndo(toast, undo);
    region.appendChild(toast); // the MutationObserver below starts its timer
    return toast;
  }

  function initToasts() {
    var region = doc.getElementById('toasts');
    if (!region) return;
    Array.prototype.forEach.call(region.querySelectorAll('[data-toast]'), initToast);
    // Toasts can also arrive by an out-of-band swap (hx-swap-oob="beforeend:#toasts").
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        Array.prototype.forEach.call(r.addedNodes, function (n) {
          if (n.nodeType === 1 && n.hasAttribute('data-toast')) initToast(n);
        });
      });
    }).observe(region, { childList: true });
  }

  doc.addEventListener('click', function (event) {
    var close = event.target.closest('[data-toast-close]');
    if (close) dismissToast(close.closest('[data-toast]'));
  });

  // HX-Trigger: {"toast": {"message": "...", "level": "success"}} or {"toast": "text"}.
  doc.addEventListener('toast', function (event) {
    var d = event.detail || {};
    showToast(d.message || d.value, d.level, d.undo);
  });

  /* ------------------------------------------------------------------------------------------
   * Confirmation dialog (#confirm-dialog in base.html)
   * ---------------------------------------------------------------------------------------- */
  var dialog = doc.getElementById('confirm-dialog');
  var pending = null; // { onConfirm, typeWord, returnFocus }

  function openConfirm(opts) {
    if (!dialog || typeof dialog.showModal !== 'function') {
      // Very old browser: fall back to the native prompt rather than skipping the question.
      if (window.confirm(opts.message)) opts.onConfirm('');
      return;
    }
    var okBtn = dialog.querySelector('[data-confirm-ok]');
    var cancelBtn = dialog.querySelector('[data-confirm-cancel]');
    var typeBox = dialog.querySelector('[data-confirm-type]');
    var typeInput = typeBox.querySelector('input');
    var typeLabel = typeBox.querySelector('[data-confirm-type-label]');
    var variant = opts.variant === 'primary' ? 'primary' : 'danger';

    if (!dialog.hasAttribute('data-default-title')) {
      dialog.setAttribute('data-default-title', dialog.querySelector('[data-confirm-title]').textContent);
      dialog.setAttribute('data-default-ok', okBtn.textContent);
    }
    dialog.querySelector('[data-confirm-title]').textContent = opts.title || dialog.getAttribute('data-default-title');
    dialog.querySelector('[data-confirm-message]').textContent = opts.message || '';
    okBtn.textContent = opts.label || dialog.getAttribute('data-default-ok');
    okBtn.className = 'btn btn--md btn--' + variant;
    dialog.setAttribute('data-variant', variant);

    pending = { onConfirm: opts.onConfirm, typeWord: opts.typeWord || '', returnFocus: doc.activeElement };
    typeInput.value = '';
    if (pending.typeWord) {
      typeBox.hidden = false;
      // "Type {word} to continue", with the word in bold (built as nodes: no HTML from attributes).
      var parts = (typeLabel.getAttribute('data-template') || '{word}').split('{word}');
      var strong = doc.createElement('strong');
      strong.textContent = pending.typeWord;
      typeLabel.textContent = '';
      typeLabel.append(parts[0], strong, parts.slice(1).join(pending.typeWord));
      okBtn.disabled = true;
    } else {
      typeBox.hidden = true;
      okBtn.disabled = false;
    }
    dialog.returnValue = '';
    dialog.showModal();
    // Destructive by default: start on Cancel (or on the text box when a word must be typed).
    (pending.typeWord ? typeInput : cancelBtn).focus();
  }

  function typedMatches() {
    var input = dialog.querySelector('[data-confirm-type] input');
    return !pending || !pending.typeWord || input.value.trim() === pending.typeWord;
  }

  if (dialog) {
    var typeInput = dialog.querySelector('[data-confirm-type] input');
    typeInput.addEventListener('input', function () {
      dialog.querySelector('[data-confirm-ok]').disabled = !typedMatches();
    });
    // Enter in the text box would submit with the first button (Cancel): confirm instead.
    typeInput.addEventListener('keydown', function (event) {
      if (event.key !== 'Enter') return;
      event.preventDefault();
      if (typedMatches()) dialog.close('confirm');
    });
    dialog.addEventListener('keydown', function (event) { trapTab(event, dialog); });
    // A click on the backdrop (the <dialog> box itself, outside the form) cancels.
    dialog.addEventListener('click', function (event) {
      if (event.target === dialog) dialog.close('cancel');
    });
    // Esc fires "cancel" and then "close" natively; everything is settled in "close".
    dialog.addEventListener('close', function () {
      var p = pending;
      pending = null;
      if (!p) return;
      var confirmed = dialog.returnValue === 'confirm' && (!p.typeWord ||
        dialog.querySelector('[data-confirm-type] input').value.trim() === p.typeWord);
      var typed = dialog.querySelector('[data-confirm-type] input').value.trim();
      if (p.returnFocus && typeof p.returnFocus.focus === 'function' && doc.contains(p.returnFocus)) {
        p.returnFocus.focus();
      }
      if (confirmed) p.onConfirm(typed);
    });
  }

  // Plain forms: <form data-confirm="question" [data-confirm-title] [data-confirm-label]
  //   [data-confirm-variant="danger|primary"] [data-confirm-type="word"]>. Capture phase on
  // document runs before htmx's own submit listener on the form, so hx-post forms work too.
  doc.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-confirm')) return;
    if (form._confirmed) { form._confirmed = false; return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    var submitter = event.submitter;
    openConfirm({
      message: form.getAttribute('data-confirm'),
      title: form.getAttribute('data-confirm-title'),
      label: form.getAttribute('data-confirm-label'),
      variant: form.getAttribute('data-confirm-variant'),
      typeWord: form.getAttribute('data-confirm-type'),
      onConfirm: function (typed) {
        var field = form.querySelector('input[name="confirm_text"]');
        if (field) field.value = typed; // lets the server check the typed word too
        form._confirmed = true;
        submitForm(form, submitter);
      }
    });
  }, true);

  // htmx: hx-confirm="question" (+ the same data-confirm-* attributes on the element).
  doc.addEventListener('htmx:confirm', function (event) {
    var question = event.detail.question;
    if (!question) return; // htmx fires this for every request; only hx-confirm ones ask
    event.preventDefault();
    var elt = event.detail.elt;
    openConfirm({
      message: question,
      title: elt.getAttribute('data-confirm-title'),
      label: elt.getAttribute('data-confirm-label'),
      variant: elt.getAttribute('data-confirm-variant'),
      typeWord: elt.getAttribute('data-confirm-type'),
      onConfirm: function () { event.detail.issueRequest(true); }
    });
  });

  /* ------------------------------------------------------------------------------------------
   * Drawer: on phones the sidebar slides in over the page (CSS: .sidebar.is-open).
   * ---------------------------------------------------------------------------------------- */
  var drawer = doc.querySelector('[data-drawer]');
  var drawerOpener = doc.querySelector('[data-drawer-open]');
  var backdrop = doc.querySelector('.drawer-backdrop');

  function drawerIsOpen() { return !!drawer && drawer.classList.contains('is-open'); }

  function openDrawer() {
    if (!drawer) return;
    drawer.classList.add('is-open');
    drawer.setAttribute('role', 'dialog');
    drawer.setAttribute('aria-modal', 'true');
    if (backdrop) backdrop.hidden = false;
    if (drawerOpener) drawerOpener.setAttribute('aria-expanded', 'true');
    doc.documentElement.classList.add('is-drawer-open'); // stops the page scrolling behind
    var target = drawer.querySelector('[aria-current="page"]') || drawer.querySelector('[data-drawer-close]');
    // .is-open makes the drawer visible (visibility) in the same frame; focus on the next one.
    requestAnimationFrame(function () { if (target) target.focus(); });
  }

  function closeDrawer(returnFocus) {
    if (!drawerIsOpen()) return;
    drawer.classList.remove('is-open');
    drawer.removeAttribute('role');
    drawer.removeAttribute('aria-modal');
    if (backdrop) backdrop.hidden = true;
    if (drawerOpener) drawerOpener.setAttribute('aria-expanded', 'false');
    doc.documentElement.classList.remove('is-drawer-open');
    if (returnFocus && drawerOpener) drawerOpener.focus();
  }

  doc.addEventListener('click', function (event) {
    if (event.target.closest('[data-drawer-open]')) {
      if (drawerIsOpen()) { closeDrawer(true); } else { openDrawer(); }
    } else if (event.target.closest('[data-drawer-close]')) {
      closeDrawer(true);
    }
  });

  if (drawer) {
    drawer.addEventListener('keydown', function (event) {
      if (drawerIsOpen()) trapTab(event, drawer);
    });
  }
  // Growing past the phone breakpoint turns the drawer back into the sidebar.
  var onBreakpoint = function () { if (!MOBILE.matches) closeDrawer(false); };
  if (MOBILE.addEventListener) { MOBILE.addEventListener('change', onBreakpoint); } else if (MOBILE.addListener) { MOBILE.addListener(onBreakpoint); }

  /* ------------------------------------------------------------------------------------------
   * Dropdown menus (disclosure pattern: a button with aria-expanded that shows a panel).
   * ---------------------------------------------------------------------------------------- */
  function menuParts(menu) {
    return {
      button: menu.querySelector('[data-menu-button]'),
      panel: menu.querySelector('[data-menu-panel]')
    };
  }

  function openMenu(menu) {
    closeMenus(menu);
    var p = menuParts(menu);
    p.panel.hidden = false;
    p.button.setAttribute('aria-expanded', 'true');
    menu.classList.add('is-open');
  }

  function closeMenu(menu, returnFocus) {
    var p = menuParts(menu);
    if (!p.panel || p.panel.hidden) return;
    p.panel.hidden = true;
    p.button.setAttribute('aria-expanded', 'false');
    menu.classList.remove('is-open');
    if (returnFocus) p.button.focus();
  }

  function closeMenus(except) {
    Array.prototype.forEach.call(doc.querySelectorAll('[data-menu].is-open'), function (m) {
      if (m !== except) closeMenu(m);
    });
  }

  doc.addEventListener('click', function (event) {
    var button = event.target.closest('[data-menu-button]');
    var inMenu = event.target.closest('[data-menu]');
    // A click anywhere else closes open menus.
    Array.prototype.forEach.call(doc.querySelectorAll('[data-menu].is-open'), function (m) {
      if (m !== inMenu) closeMenu(m);
    });
    if (button) {
      var menu = button.closest('[data-menu]');
      if (menu.classList.contains('is-open')) { closeMenu(menu); } else { openMenu(menu); }
    }
  });

  // Tabbing out of a menu closes it.
  doc.addEventListener('focusout', function (event) {
    var menu = event.target.closest && event.target.closest('[data-menu].is-open');
    if (menu && event.relatedTarget && !menu.contains(event.relatedTarget)) closeMenu(menu);
  });

  doc.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') {
      var open = doc.activeElement && doc.activeElement.closest && doc.activeElement.closest('[data-menu].is-open');
      open = open || doc.querySelector('[data-menu].is-open');
      if (open) {
        event.preventDefault();
        closeMenu(open, true);
        return;
      }
      if (drawerIsOpen() && !(dialog && dialog.open)) {
        event.preventDefault();
        closeDrawer(true);
      }
      return;
    }
    // Arrow keys move between the items of an open menu.
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      var menu = doc.activeElement && doc.activeElement.closest && doc.activeElement.closest('[data-menu]');
      if (!menu) return;
      var parts = menuParts(menu);
      if (doc.activeElement === parts.button && parts.panel.hidden) {
        if (event.key !== 'ArrowDown') return;
        openMenu(menu);
      }
      if (parts.panel.hidden) return;
      var items = visibleFocusables(parts.panel);
      if (!items.length) return;
      event.preventDefault();
      var i = items.indexOf(doc.activeElement);
      var next = event.key === 'ArrowDown' ? (i + 1) % items.length : (i <= 0 ? items.length - 1 : i - 1);
      items[next].focus();
    }
  });

  /* ------------------------------------------------------------------------------------------
   * data-autosubmit: on a control (select, checkbox...) or on a whole form.
   * ---------------------------------------------------------------------------------------- */
  doc.addEventListener('change', function (event) {
    var el = event.target;
    if (!el.form) return;
    if (el.hasAttribute('data-autosubmit') || el.form.hasAttribute('data-autosubmit')) {
      submitForm(el.form);
    }
  });

  /* ------------------------------------------------------------------------------------------
   * htmx errors and the loading bar
   * ---------------------------------------------------------------------------------------- */
  var swappedErrors = typeof WeakSet === 'function' ? new WeakSet() : null;

  // A page may choose to swap an error response (e.g. hx-target for its own error area, or a
  // 422 form re-render): then the response speaks for itself and no toast is added.
  doc.addEventListener('htmx:beforeSwap', function (event) {
    if (event.detail.isError && event.detail.shouldSwap && swappedErrors) swappedErrors.add(event.detail.xhr);
  });

  doc.addEventListener('htmx:responseError', function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || (swappedErrors && swappedErrors.has(xhr))) return;
    // The server already sent its own toast through HX-Trigger.
    var trigger = xhr.getResponseHeader && xhr.getResponseHeader('HX-Trigger');
    if (trigger && trigger.indexOf('"toast"') !== -1) return;
    var text = xhr.responseText || '';
    var message = '';
    if (text.indexOf('error-fragment') !== -1) {
      // templates/errors/_error.html: use its own title and message. DOMParser runs no scripts.
      var frag = new DOMParser().parseFromString(text, 'text/html').getElementById('error-fragment');
      if (frag) {
        var t = frag.querySelector('[data-error-title]');
        var m = frag.querySelector('[data-error-message]');
        message = [t && t.textContent.trim(), m && m.textContent.trim()].filter(Boolean).join(': ');
      }
    }
    showToast(message || msg('error', 'אירעה שגיאה. נסו שוב.'), 'error');
  });

  doc.addEventListener('htmx:sendError', function () {
    showToast(msg('network', 'אין חיבור לשרת. בדקו את החיבור ונסו שוב.'), 'error');
  });
  doc.addEventListener('htmx:timeout', function () {
    showToast(msg('network', 'אין חיבור לשרת. בדקו את החיבור ונסו שוב.'), 'error');
  });

  var inFlight = 0;
  function setLoading(delta) {
    inFlight = Math.max(0, inFlight + delta);
    doc.documentElement.classList.toggle('is-loading', inFlight > 0);
  }
  doc.addEventListener('htmx:beforeRequest', function () { setLoading(1); });
  doc.addEventListener('htmx:afterRequest', function () { setLoading(-1); });

  /* ------------------------------------------------------------------------------------------ */
  initToasts();
  window.StudioOS = { toast: showToast, confirm: openConfirm };
})();
