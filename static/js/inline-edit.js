/* Inline editing of table cells (DESIGN.md): click or Enter on a value opens its editor (fetched
 * with htmx); a change saves at once; Esc, or leaving an unchanged editor, goes back to the value.
 * States: "שומר…" while saving, a short "נשמר" after, and on a refused save the server sends the
 * editor back with the old value and the reason.
 *
 * Markup (see templates/contacts/_cell.html and _cell_editor.html):
 *   <td><button class="cell__view" hx-get=".../edit">value</button></td>
 *   <form data-inline-editor data-cancel-url="..." hx-post=... hx-target="closest td">...</form>
 */
(function () {
  'use strict';

  var doc = document;

  function msg(name, fallback) {
    return (doc.body && doc.body.getAttribute('data-msg-' + name)) || fallback;
  }

  function control(editor) {
    return editor.querySelector('input:not([type="hidden"]), select, textarea');
  }

  function cancel(editor) {
    if (!editor || editor._busy || !doc.contains(editor)) return;
    var cell = editor.closest('td') || editor.parentElement;
    editor._busy = true;
    window.htmx.ajax('GET', editor.getAttribute('data-cancel-url'), { target: cell, swap: 'innerHTML' })
      .then(function () {
        var view = cell.querySelector('.cell__view');
        if (view && cell.contains(doc.activeElement) === false && editor._returnFocus) view.focus();
      });
  }

  function prepare(editor) {
    if (editor._ready) return;
    editor._ready = true;
    var input = control(editor);
    if (!input) return;
    editor._original = input.value;
    editor._returnFocus = true;
    input.focus();
    if (input.select && input.tagName === 'INPUT' && input.type !== 'date') input.select();
  }

  doc.addEventListener('htmx:load', function (event) {
    var root = event.detail.elt;
    var editors = root.matches && root.matches('[data-inline-editor]') ? [root] : root.querySelectorAll('[data-inline-editor]');
    Array.prototype.forEach.call(editors, prepare);
    // After a save, keep the keyboard where it was: on the cell's value.
    var saved = root.querySelector && root.querySelector('.cell--saved .cell__view');
    if (saved) saved.focus();
  });

  doc.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var editor = event.target.closest && event.target.closest('[data-inline-editor]');
    if (!editor) return;
    event.preventDefault();
    event.stopPropagation();
    cancel(editor);
  });

  // Leaving an editor without changing anything closes it.
  doc.addEventListener('focusout', function (event) {
    var editor = event.target.closest && event.target.closest('[data-inline-editor]');
    if (!editor) return;
    setTimeout(function () {
      if (!doc.contains(editor) || editor.contains(doc.activeElement) || editor._busy) return;
      var input = control(editor);
      var hasError = editor.classList.contains('cell-editor--error');
      if (input && input.value === editor._original) {
        editor._returnFocus = false;
        cancel(editor);
      } else if (hasError) {
        editor._returnFocus = false;
      }
    }, 150);
  });

  doc.addEventListener('htmx:beforeRequest', function (event) {
    var editor = event.detail.elt;
    if (!editor.matches || !editor.matches('[data-inline-editor]')) return;
    var input = control(editor);
    if (input && input.value === editor._original && event.detail.requestConfig.verb === 'post') {
      event.preventDefault(); // nothing changed: nothing to save
      return;
    }
    editor._busy = true;
    editor.classList.add('is-saving');
    editor.setAttribute('aria-busy', 'true');
    var status = editor.querySelector('.cell-editor__status');
    if (status) status.textContent = msg('saving', 'שומר…');
  });

  doc.addEventListener('htmx:afterRequest', function (event) {
    var editor = event.detail.elt;
    if (!editor.matches || !editor.matches('[data-inline-editor]')) return;
    editor._busy = false;
    editor.classList.remove('is-saving');
    editor.removeAttribute('aria-busy');
  });
})();
