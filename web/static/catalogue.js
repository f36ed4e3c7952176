// The Police API Catalogue's only script. Every page works without it; it adds two conveniences:
// suggestions while typing in a search box, and copy buttons on code examples.
(function () {
  'use strict';

  // Suggestions: a datalist filled from /search/suggest (what this visitor may see) as they type.
  function suggest(input) {
    var list = document.createElement('datalist');
    list.id = input.id + '-suggestions';
    input.setAttribute('list', list.id);
    input.parentNode.appendChild(list);
    var timer = null;
    var last = '';
    input.addEventListener('input', function () {
      var q = input.value.trim();
      if (q.length < 2 || q === last) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        last = q;
        fetch('/search/suggest?q=' + encodeURIComponent(q), { credentials: 'same-origin' })
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (body) {
            while (list.firstChild) list.removeChild(list.firstChild);
            body.suggestions.forEach(function (s) {
              var option = document.createElement('option');
              option.value = s.text;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a convenience: the search still works */ });
      }, 150);
    });
  }

  // Copy buttons: one before each code example marked data-copy.
  function copyButton(pre) {
    if (!navigator.clipboard) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'govuk-button govuk-button--secondary pac-copy';
    button.textContent = 'Copy ' + (pre.getAttribute('data-copy') || 'code');
    var status = document.createElement('span');
    status.className = 'govuk-visually-hidden';
    status.setAttribute('aria-live', 'polite');
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(pre.textContent).then(function () {
        status.textContent = 'Copied';
        button.textContent = 'Copied';
        setTimeout(function () { button.textContent = 'Copy ' + (pre.getAttribute('data-copy') || 'code'); status.textContent = ''; }, 2000);
      });
    });
    pre.parentNode.insertBefore(button, pre);
    pre.parentNode.insertBefore(status, pre);
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.body.classList.add('js-enabled');
    Array.prototype.forEach.call(document.querySelectorAll('input[data-suggest]'), suggest);
    Array.prototype.forEach.call(document.querySelectorAll('pre[data-copy]'), copyButton);
  });
})();
