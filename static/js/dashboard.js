/* Dashboard (templates/dashboard/): after a task is ticked done in "my tasks", refresh the card
 * (its counts and the next tasks). The realtime message does the same when a socket is open;
 * this keeps the page right without one. A refused tick (422) leaves the card as it is: the
 * toast says why. */
(function () {
  'use strict';
  document.addEventListener('htmx:afterRequest', function (event) {
    var form = event.detail && event.detail.elt;
    if (!form || !form.matches || !form.matches('.dash-task__tick')) return;
    if (!event.detail.successful) return;
    var row = form.closest('.dash-task');
    if (row) row.classList.add('is-done');
    var card = document.getElementById('dashboard-tasks');
    if (card && window.htmx) window.htmx.trigger(card, 'dashboard-refresh');
  });
})();
